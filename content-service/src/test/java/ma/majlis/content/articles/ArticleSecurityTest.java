package ma.majlis.content.articles;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ma.majlis.content.EditorToken;
import ma.majlis.platform.security.TokenMinter;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Article writes need an editor's token; reading needs none. Each refusal is a problem, never a stack trace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ImportRealInfrastructure
class ArticleSecurityTest {

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @Test
    void refusesAWriteWithoutATokenAs401Problem() {
        post("day-31-refused", null).expectStatus().isUnauthorized()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"majlis\"")
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/not-signed-in")
            .jsonPath("$.status").isEqualTo(401);
        client().post().uri("/api/article-imports").exchange().expectStatus().isUnauthorized();
        client().get().uri("/api/articles/day-31-refused").exchange().expectStatus().isNotFound();
    }

    @Test
    void refusesABadlySignedOrExpiredTokenAs401AndAReaderAs403() {
        String forged = "Bearer " + new TokenMinter("another-secret-that-is-at-least-32-bytes-long")
            .mint("mallory", List.of("editor"), Duration.ofHours(1));
        post("day-32-refused", forged).expectStatus().isUnauthorized()
            .expectBody().jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions
                .assertThat((String) detail).contains("not valid"));

        String secret = environment.getRequiredProperty("majlis.security.jwt.hmac-secret");
        String expired = "Bearer " + new TokenMinter(secret).mint("late", List.of("editor"),
            Instant.now().minus(Duration.ofMinutes(10)), Instant.now().minus(Duration.ofMinutes(2)));
        post("day-32-refused", expired).expectStatus().isUnauthorized()
            .expectBody().jsonPath("$.detail").isEqualTo("Your token has expired; sign in again.");

        post("day-32-refused", EditorToken.bearer(environment, List.of("moderator"))).expectStatus().isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/forbidden");
        client().delete().uri("/api/articles/anything").header(HttpHeaders.AUTHORIZATION, "Basic abc").exchange()
            .expectStatus().isUnauthorized();
        client().get().uri("/api/articles/day-32-refused").exchange().expectStatus().isNotFound();
    }

    @Test
    void letsAnEditorWriteAndEveryoneRead() {
        post("day-30-guarded", EditorToken.bearer(environment, List.of("editor"))).expectStatus().isCreated();
        client().get().uri("/api/articles/day-30-guarded").exchange().expectStatus().isOk();
        client().get().uri("/api/articles").exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec post(String slug, String authorization) {
        WebTestClient.RequestBodySpec request = client().post().uri("/api/articles")
            .contentType(MediaType.parseMediaType("text/markdown"))
            .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + slug + ".md\"");
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.bodyValue("# A guarded day\n".getBytes(StandardCharsets.UTF_8)).exchange();
    }
}
