package ma.majlis.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ma.majlis.platform.security.TokenMinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what through the gateway, and that the token travels on to the service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "MAJLIS_RATE_LIMIT_BURST=2", "MAJLIS_RATE_LIMIT_PER_MINUTE=1" })
class GatewaySecurityTest {

    static final Upstream content = new Upstream("content-service");

    static final Upstream comments = new Upstream("comment-service");

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("MAJLIS_CONTENT_SERVICE_URI", content::uri);
        registry.add("MAJLIS_COMMENT_SERVICE_URI", comments::uri);
    }

    @AfterAll
    static void stopUpstreams() {
        content.close();
        comments.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "POST, /api/articles", "PUT, /api/articles/day-1", "DELETE, /api/articles/day-1",
        "POST, /api/article-imports" })
    void articleWritesNeedAnEditor(String method, String path) {
        refusedToAnonymousClientsAndReaders(method, path);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "POST, /api/webhooks", "GET, /api/webhooks", "DELETE, /api/webhooks/0f8fad5b-d9cb-469f-a165-70867728950e",
        "POST, /api/webhooks/0f8fad5b-d9cb-469f-a165-70867728950e/retry" })
    void webhooksAreForEditorsAndModerators(String method, String path) {
        int before = comments.requests().size();
        refusedToAnonymousClientsAndReaders(method, path);
        assertThat(comments.requests()).as("refused at the gateway").hasSize(before);
        for (String role : List.of("editor", "moderator")) {
            client().method(HttpMethod.valueOf(method)).uri(path)
                .header(HttpHeaders.AUTHORIZATION, EditorToken.bearer(environment, "staff-" + java.util.UUID.randomUUID(),
                    List.of(role)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class);
        }
    }

    /** 401 without a token, 403 with a reader's (a token without roles), both as problems. */
    private void refusedToAnonymousClientsAndReaders(String method, String path) {
        client().method(HttpMethod.valueOf(method)).uri(path).exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/not-signed-in");
        client().method(HttpMethod.valueOf(method)).uri(path)
            .header(HttpHeaders.AUTHORIZATION, EditorToken.bearer(environment, "reader", List.of()))
            .exchange()
            .expectStatus().isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/forbidden");
    }

    @Test
    void readersReadAndCommentWithoutATokenAndAnEditorsTokenTravelsOn() {
        client().get().uri("/api/articles").exchange().expectStatus().isOk();
        client().post().uri("/api/articles/day-1/comments").exchange().expectStatus().isOk();

        String editor = EditorToken.bearer(environment, "amina", List.of("editor"));
        client().put().uri("/api/articles/day-2").header(HttpHeaders.AUTHORIZATION, editor).exchange()
            .expectStatus().isOk();
        assertThat(content.requests()).filteredOn(request -> request.uri().equals("/api/articles/day-2"))
            .extracting(Upstream.Request::authorization).containsExactly(editor);
    }

    @Test
    void refusesAnExpiredEditorsTokenWith401() {
        String secret = environment.getRequiredProperty("majlis.security.jwt.hmac-secret");
        String expired = new TokenMinter(secret).mint("amina", List.of("editor"),
            Instant.now().minus(Duration.ofHours(2)), Instant.now().minus(Duration.ofHours(1)));
        client().put().uri("/api/articles/day-2").header(HttpHeaders.AUTHORIZATION, "Bearer " + expired).exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/not-signed-in");
        assertThat(content.requests()).noneMatch(request -> request.authorization().contains(expired));
    }

    @Test
    void refusesATokenSignedWithAnotherKeyWith401() {
        String forged = new TokenMinter("some-other-secret-that-is-also-32-bytes-long")
            .mint("mallory", List.of("editor", "moderator"), Duration.ofHours(1));
        client().delete().uri("/api/articles/day-2").header(HttpHeaders.AUTHORIZATION, "Bearer " + forged).exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/not-signed-in");
        assertThat(content.requests()).noneMatch(request -> request.authorization().contains(forged));
    }

    @Test
    void refusesABadlySignedTokenEvenWhereNoneIsNeeded() {
        client().get().uri("/api/articles").header(HttpHeaders.AUTHORIZATION, "Bearer not.a.token").exchange()
            .expectStatus().isUnauthorized()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/not-signed-in");
    }

    @Test
    void limitsASignedInReaderByTheirSubjectWhereverTheyWriteFrom() {
        String reader = EditorToken.bearer(environment, "youssef", List.of());
        for (int i = 0; i < 2; i++) {
            client().post().uri("/api/articles/day-3/comments").header(HttpHeaders.AUTHORIZATION, reader)
                .header("X-Forwarded-For", "198.51.100." + i).exchange().expectStatus().isOk();
        }
        client().post().uri("/api/articles/day-3/comments").header(HttpHeaders.AUTHORIZATION, reader).exchange()
            .expectStatus().isEqualTo(429);
        client().post().uri("/api/articles/day-3/comments")
            .header(HttpHeaders.AUTHORIZATION, EditorToken.bearer(environment, "salma", List.of())).exchange()
            .expectStatus().isOk();
    }
}
