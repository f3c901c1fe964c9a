package ma.majlis.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several instances of comment-service listed in one setting share the load; one that is down (nothing listens at
 * its address) costs readers nothing, since what cannot connect to it goes to the next instance; and one that runs
 * but is not ready (its readiness probe fails) gets no requests until it is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "MAJLIS_RATE_LIMIT_BURST=100", "MAJLIS_GATEWAY_HEALTH_CHECK_INTERVAL=300ms" })
@AutoConfigureWebTestClient
class TwoReplicasTest {

    static final Upstream content = new Upstream("content-service");

    static final Upstream first = new Upstream("comment-service");

    static final Upstream second = new Upstream("comment-service");

    static final Upstream starting = new Upstream("comment-service");

    /** An address where nothing listens: an instance that is down. */
    static final int DOWN = freePort();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("MAJLIS_CONTENT_SERVICE_URI", content::uri);
        registry.add("MAJLIS_COMMENT_SERVICE_URI",
            () -> first.uri() + ", http://localhost:" + DOWN + ", " + second.uri() + ", " + starting.uri());
        starting.ready(false);
    }

    @AfterAll
    static void stopUpstreams() {
        content.close();
        first.close();
        second.close();
        starting.close();
    }

    @Autowired
    WebTestClient client;

    /** Waits until the gateway has asked the starting instance for its readiness twice more. */
    private void awaitTwoHealthChecksOfTheStartingInstance() {
        // The gateway begins checking a service's instances with its first request to that service.
        client.get().uri("/api/comment-counts?articles=warm-up").exchange().expectBody().consumeWith(body -> { });
        int checks = starting.healthChecks();
        await().atMost(Duration.ofSeconds(10)).until(() -> starting.healthChecks() > checks + 1);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void spreadsReadsAndWritesOverTheLiveInstancesAndLosesNoneToTheDeadOne() {
        starting.ready(false);
        awaitTwoHealthChecksOfTheStartingInstance();
        first.requests().clear();
        second.requests().clear();
        starting.requests().clear();
        for (int i = 0; i < 9; i++) {
            client.get().uri("/api/comment-counts?articles=a" + i).exchange().expectStatus().isOk();
            client.post().uri("/api/articles/day-1/comments").exchange().expectStatus().isOk();
        }
        assertThat(first.requests()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(second.requests()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(first.requests().size() + second.requests().size()).as("every request answered once").isEqualTo(18);
        assertThat(starting.healthChecks()).as("the instance that is not ready was asked").isPositive();
        assertThat(starting.requests()).as("and was given nothing").isEmpty();
    }

    @Test
    void sendsRequestsToAnInstanceOnceItsReadinessProbePasses() {
        starting.ready(true);
        awaitTwoHealthChecksOfTheStartingInstance();
        for (int i = 0; i < 9; i++) {
            client.get().uri("/api/comment-counts?articles=b" + i).exchange().expectStatus().isOk()
                .expectBody().consumeWith(body -> { });
        }
        assertThat(starting.requests()).isNotEmpty();
        starting.ready(false);
    }
}
