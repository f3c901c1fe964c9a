package ma.majlis.comments;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.security.TokenMinter;
import org.springframework.core.env.Environment;

/** Bearer tokens signed with the tests' secret, as an identity provider would issue them. */
public final class Tokens {

    private Tokens() {
    }

    public static String bearer(Environment environment, String subject, String... roles) {
        String secret = environment.getRequiredProperty("majlis.security.jwt.hmac-secret");
        return "Bearer " + new TokenMinter(secret).mint(subject, List.of(roles), Duration.ofHours(1));
    }
}
