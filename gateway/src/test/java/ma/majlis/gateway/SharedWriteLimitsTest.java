package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ma.majlis.platform.security.TokenMinter;
import ma.majlis.testing.RealInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two gateway replicas that share a real Redis keep one write limit per client: what a client writes through one
 * replica counts at the other.
 */
class SharedWriteLimitsTest {

    static final Upstream content = new Upstream("content-service");

    static final Upstream comments = new Upstream("comment-service");

    static ConfigurableApplicationContext first;

    static ConfigurableApplicationContext second;

    @BeforeAll
    static void startTwoReplicas() {
        String redis = RealInfrastructure.redisUrl();
        first = replica(redis);
        second = replica(redis);
    }

    private static ConfigurableApplicationContext replica(String redis) {
        return new SpringApplicationBuilder(GatewayApplication.class)
            .run("--server.port=0",
                "--MAJLIS_CONTENT_SERVICE_URI=" + content.uri(),
                "--MAJLIS_COMMENT_SERVICE_URI=" + comments.uri(),
                "--MAJLIS_REDIS_URL=" + redis,
                "--MAJLIS_TRUSTED_PROXIES=127.0.0.1,::1",
                "--MAJLIS_RATE_LIMIT_BURST=3",
                "--MAJLIS_RATE_LIMIT_PER_MINUTE=1");
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        content.close();
        comments.close();
    }

    private static WebTestClient client(ConfigurableApplicationContext replica) {
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private static WebTestClient.ResponseSpec postFrom(ConfigurableApplicationContext replica, String address,
        String bearer) {
        WebTestClient.RequestBodySpec request = client(replica).post().uri("/api/articles/day-3/comments")
            .header("X-Forwarded-For", address)
            .contentType(MediaType.APPLICATION_JSON);
        if (bearer != null) {
            request.header(HttpHeaders.AUTHORIZATION, bearer);
        }
        return request.bodyValue("{}").exchange();
    }

    private static String uniqueAddress() {
        int n = Math.floorMod(UUID.randomUUID().hashCode(), 250) + 1;
        return "203.0." + Math.floorMod(UUID.randomUUID().hashCode(), 250) + "." + n;
    }

    @Test
    void anAnonymousClientSpendsOneAllowanceAcrossBothReplicas() {
        String address = uniqueAddress();
        postFrom(first, address, null).expectStatus().isOk().expectBody().consumeWith(body -> { });
        postFrom(second, address, null).expectStatus().isOk().expectBody().consumeWith(body -> { });
        postFrom(first, address, null).expectStatus().isOk().expectBody().consumeWith(body -> { });

        postFrom(second, address, null).expectStatus().isEqualTo(429)
            .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "[1-9][0-9]*")
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/too-many-requests");
        postFrom(first, address, null).expectStatus().isEqualTo(429).expectBody().consumeWith(body -> { });
    }

    @Test
    void aSignedInReaderSpendsOneAllowanceAcrossBothReplicasWhateverAddressTheyWriteFrom() {
        String secret = first.getEnvironment().getRequiredProperty("majlis.security.jwt.hmac-secret");
        String subject = "reader-" + UUID.randomUUID();
        String reader = "Bearer " + new TokenMinter(secret).mint(subject, List.of(), Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            postFrom(i % 2 == 0 ? first : second, uniqueAddress(), reader).expectStatus().isOk()
                .expectBody().consumeWith(body -> { });
        }
        postFrom(second, uniqueAddress(), reader).expectStatus().isEqualTo(429).expectBody().consumeWith(body -> { });

        String other = "Bearer " + new TokenMinter(secret).mint(subject + "-other", List.of(), Duration.ofHours(1));
        postFrom(first, uniqueAddress(), other).expectStatus().isOk().expectBody().consumeWith(body -> { });
    }
}
