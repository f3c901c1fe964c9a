package ma.majlis.content;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.security.TokenMinter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;

/**
 * Tests act as an editor unless they say otherwise: every test's WebTestClient sends an editor's token, signed with
 * the tests' secret. {@code ArticleSecurityTest} sends other tokens, or none, on clients of its own.
 */
@AutoConfiguration
public class EditorToken {

    public static String bearer(Environment environment, List<String> roles) {
        String secret = environment.getRequiredProperty("majlis.security.jwt.hmac-secret");
        return "Bearer " + new TokenMinter(secret).mint("editor@tests", roles, Duration.ofHours(1));
    }

    @Bean
    WebTestClientBuilderCustomizer editorToken(Environment environment) {
        String token = bearer(environment, List.of("editor"));
        return builder -> builder.defaultHeader(HttpHeaders.AUTHORIZATION, token);
    }
}
