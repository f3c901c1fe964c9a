package ma.majlis.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway lets through: origins, body and header sizes, and the headers it adds for browsers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "MAJLIS_CORS_ORIGINS=https://blog.example.ma", "MAJLIS_GATEWAY_MAX_COMMENT_BYTES=1024",
    "MAJLIS_GATEWAY_MAX_HEADER_BYTES=4KB", "MAJLIS_RATE_LIMIT_BURST=3", "MAJLIS_RATE_LIMIT_PER_MINUTE=6",
    "MAJLIS_TRUSTED_PROXIES=127.0.0.1" })
@AutoConfigureWebTestClient
class GatewayBoundariesTest {

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

    @Autowired
    WebTestClient client;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** A client without the editor's token the other tests send: its writes count against its address. */
    WebTestClient anonymous() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @Test
    void letsAConfiguredSiteCallTheApiFromTheBrowser() {
        client.options().uri("/api/articles/day-1/comments")
            .header(HttpHeaders.ORIGIN, "https://blog.example.ma")
            .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type,idempotency-key")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://blog.example.ma")
            .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods)
                .contains("POST"));
    }

    @Test
    void refusesASiteThatIsNotConfigured() {
        client.options().uri("/api/articles/day-1/comments")
            .header(HttpHeaders.ORIGIN, "https://elsewhere.example")
            .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .exchange()
            .expectStatus().isForbidden()
            .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        client.get().uri("/api/articles").header(HttpHeaders.ORIGIN, "https://elsewhere.example").exchange()
            .expectStatus().isForbidden();
    }

    @Test
    void refusesABodyOverItsRoutesLimitWith413ProblemBeforeTheServiceSeesIt() {
        int before = comments.requests().size();
        anonymous().post().uri("/api/articles/day-1/comments").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"body\": \"" + "x".repeat(2000) + "\"}")
            .exchange()
            .expectStatus().isEqualTo(413)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/too-large");
        assertThat(comments.requests()).hasSize(before);

        anonymous().post().uri("/api/articles/day-1/comments").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"body\": \"short\"}").exchange().expectStatus().isOk();
    }

    @Test
    void refusesOversizedHeadersWith431ProblemBeforeTheServiceSeesThem() {
        int before = content.requests().size();
        client.get().uri("/api/articles").header("X-Large", "x".repeat(8000)).exchange()
            .expectStatus().isEqualTo(431)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/headers-too-large");
        // Beyond Netty's own default of 8 KB too: the gateway's answer, not Netty's bare one.
        client.get().uri("/api/articles").header("X-Large", "x".repeat(20_000)).exchange()
            .expectStatus().isEqualTo(431)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/headers-too-large");
        assertThat(content.requests()).hasSize(before);
        client.get().uri("/api/articles").header("X-Small", "x".repeat(2000)).exchange()
            .expectStatus().isOk();
    }

    @Test
    void letsAReaderPreviewAsOftenAsTheyLikeWithoutSpendingTheirWrites() {
        for (int i = 0; i < 6; i++) {
            anonymous().post().uri("/api/comment-previews").header("X-Forwarded-For", "203.0.113.77")
                .exchange().expectStatus().isOk().expectBody().consumeWith(body -> { });
        }
        anonymous().post().uri("/api/articles/day-1/comments").header("X-Forwarded-For", "203.0.113.77")
            .exchange().expectStatus().isOk().expectBody().consumeWith(body -> { });
    }

    @Test
    void aMailProvidersOneClickUnsubscribesAreNotCountedAgainstItsAddress() {
        for (int i = 0; i < 12; i++) {
            anonymous().post().uri("/api/subscriptions/unsubscribe?token=t" + i)
                .header("X-Forwarded-For", "203.0.113.78").exchange().expectStatus().isOk()
                .expectBody().consumeWith(body -> { });
            anonymous().post().uri("/api/subscriptions/confirm").header("X-Forwarded-For", "203.0.113.78")
                .exchange().expectStatus().isOk().expectBody().consumeWith(body -> { });
        }
    }

    @Test
    void limitsWritesPerClientBehindATrustedProxyWith429AndRetryAfter() {
        // The test's own address is the trusted proxy here, so the client is the one X-Forwarded-For names.
        String path = "/api/comments/0f8fad5b-d9cb-469f-a165-70867728950e/votes";
        for (int i = 0; i < 3; i++) {
            anonymous().post().uri(path).header("X-Forwarded-For", "203.0.113.9, 198.51.100.7").exchange()
                .expectStatus().isOk();
        }
        // A fake first hop written by the client itself changes nothing.
        anonymous().post().uri(path).header("X-Forwarded-For", "203.0.113.10, 198.51.100.7").exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Integer.parseInt(seconds))
                .isBetween(1, 10))
            .expectBody().jsonPath("$.type").isEqualTo("/problems/too-many-requests");
        client.get().uri("/api/articles").header("X-Forwarded-For", "198.51.100.7").exchange()
            .expectStatus().isOk();
        anonymous().post().uri(path).header("X-Forwarded-For", "198.51.100.8").exchange().expectStatus().isOk();
    }

    @Test
    void addsHeadersThatKeepBrowsersSafe() {
        client.get().uri("/api/articles").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
            .expectHeader().valueEquals("Referrer-Policy", "strict-origin-when-cross-origin")
            .expectHeader().valueEquals("Content-Security-Policy", SecurityHeaders.API_POLICY);
    }
}
