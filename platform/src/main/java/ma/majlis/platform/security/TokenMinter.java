package ma.majlis.platform.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs tokens with a shared secret, for a small installation without an identity provider: the local stack's
 * {@code ./run-local token editor}, and tests.
 */
public final class TokenMinter {

    private final NimbusJwtEncoder encoder;

    public TokenMinter(String hmacSecret) {
        SecretKeySpec key = new SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
    }

    /** A token for {@code subject} with {@code roles}, valid for {@code lifetime}. */
    public String mint(String subject, List<String> roles, Duration lifetime) {
        Instant now = Instant.now();
        return mint(subject, roles, now, now.plus(lifetime));
    }

    /** A token for {@code subject} with {@code roles}, issued and expiring when given (tests make expired ones). */
    public String mint(String subject, List<String> roles, Instant issuedAt, Instant expiresAt) {
        JwtClaimsSet claims = JwtClaimsSet.builder()
            .subject(subject)
            .issuedAt(issuedAt)
            .expiresAt(expiresAt)
            .claim("roles", roles)
            .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
            .getTokenValue();
    }
}
