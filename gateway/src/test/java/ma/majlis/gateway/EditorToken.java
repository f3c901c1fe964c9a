package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.security.TokenMinter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;

/**
 * The gateway's tests act as an editor unless they say otherwise: every test's WebTestClient sends an editor's
 * token signed with the tests' secret. {@code GatewaySecurityTest} sends other tokens, or none.
 */
@AutoConfiguration
public class EditorToken {

    static String bearer(Environment environment, String subject, List<String> roles) {
        String secret = environment.getRequiredProperty("majlis.security.jwt.hmac-secret");
        return "Bearer " + new TokenMinter(secret).mint(subject, roles, Duration.ofHours(1));
    }

    @Bean
    WebTestClientBuilderCustomizer editorToken(Environment environment) {
        String token = bearer(environment, "editor@tests", List.of("editor"));
        return builder -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, token);
    }
}
