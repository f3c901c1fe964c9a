package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway passes at most MAJLIS_GATEWAY_MAX_REQUESTS requests to services at once: one beyond them is told to
 * come back in a moment (503, {@code Retry-After}) without the service hearing of it. Readers of streams, which the
 * stream limit counts, take none of that room.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.gateway.max-requests=2")
@AutoConfigureWebTestClient
class GatewayRequestLimitTest {

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

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    final List<String> answers = new CopyOnWriteArrayList<>();

    double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    double refused() {
        return meters.get("majlis.gateway.requests.refused").functionCounter().count();
    }

    long asked(String uri) {
        return comments.requests().stream().filter(request -> request.uri().equals(uri)).count();
    }

    /** A request that the service answers after three seconds. */
    Disposable slow(int n) {
        return WebClient.create("http://localhost:" + port).get().uri("/api/comments/slow-" + n)
            .retrieve()
            .bodyToMono(String.class)
            .subscribe(answers::add, failure -> answers.add("failed: " + failure));
    }

    @Test
    void aRequestBeyondTheLimitIsAskedToRetryInAMomentAndTheServiceNeverHearsOfIt() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("majlis.gateway.requests.handling") == 0);
        Disposable first = slow(1);
        Disposable second = slow(2);
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> gauge("majlis.gateway.requests.handling") == 2);
            double refusedBefore = refused();

            client.get().uri("/api/comments/busy-1").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectBody()
                .jsonPath("$.type").isEqualTo("/problems/busy")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("(2)"));
            assertThat(asked("/api/comments/busy-1")).as("the refused request never reached the service").isZero();
            assertThat(refused()).isEqualTo(refusedBefore + 1);

            // Once the slow answers are in, there is room again.
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
            assertThat(answers).containsOnly("comment-service slow");
            await().atMost(Duration.ofSeconds(2)).until(() -> gauge("majlis.gateway.requests.handling") == 0);
            client.get().uri("/api/comments/busy-1").exchange().expectStatus().isOk();
            assertThat(asked("/api/comments/busy-1")).isEqualTo(1);
        }
        finally {
            first.dispose();
            second.dispose();
        }
    }

    @Test
    void readersOfStreamsTakeNoneOfTheRoomOfRequests() {
        String stream = "/api/articles/day-12-listening/comments/stream";
        List<Disposable> readers = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                // Resuming from a position no feed is at, each is piped through: its request lasts as long as it reads.
                readers.add(WebClient.create("http://localhost:" + port).get().uri(stream)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .header("Last-Event-ID", "7")
                    .retrieve()
                    .bodyToFlux(String.class)
                    .subscribe(line -> { }, failure -> { }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> comments.openStreams(stream) == 3);
            assertThat(gauge("majlis.gateway.requests.handling")).isZero();

            // Three readers are open and the limit is two, yet two requests go through.
            client.get().uri("/api/comments/after-readers-1").exchange().expectStatus().isOk();
            client.get().uri("/api/comments/after-readers-2").exchange().expectStatus().isOk();
        }
        finally {
            readers.forEach(Disposable::dispose);
        }
    }

    @Test
    void unlessSetTheGatewayPassesAsManyRequestsAsAQuarterOfItsHeapHolds() {
        assertThat(RequestLimit.forHeap(192L * 1024 * 1024)).isEqualTo(1024);
        GatewaySettings unset = new GatewaySettings(Duration.ofSeconds(10), 50, 20, 10, Duration.ofSeconds(10), 0, 0);
        assertThat(new RequestLimit(unset, new SimpleMeterRegistry()).maxHandling())
            .isEqualTo(RequestLimit.forHeap(Runtime.getRuntime().maxMemory()));
        assertThat(RequestLimit.forHeap(8L * 1024 * 1024)).isEqualTo(RequestLimit.FLOOR);
    }
}
