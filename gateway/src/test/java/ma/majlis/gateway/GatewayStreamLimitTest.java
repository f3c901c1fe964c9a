package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
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
 * The gateway holds at most MAJLIS_GATEWAY_STREAM_MAX_OPEN readers: a reader beyond them is told to come back later
 * (503, {@code Retry-After}) without the service hearing of it, and is taken again once a stream has closed. A
 * reader piped through to the service counts for more than one who joined a feed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.gateway.max-open-streams=2")
@AutoConfigureWebTestClient
class GatewayStreamLimitTest {

    static final Upstream content = new Upstream("content-service");

    static final Upstream comments = new Upstream("comment-service");

    static final String STREAM = "/api/articles/day-11-crowded/comments/stream";

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

    @Autowired
    StreamFeeds feeds;

    @LocalServerPort
    int port;

    final List<String> received = new CopyOnWriteArrayList<>();

    Disposable reader() {
        return WebClient.create("http://localhost:" + port).get().uri(STREAM)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve()
            .bodyToFlux(String.class)
            .subscribe(received::add, failure -> { });
    }

    long streamsUpstream() {
        return comments.requests().stream().filter(request -> request.uri().equals(STREAM)).count();
    }

    double refused() {
        return meters.get("majlis.gateway.streams.refused").functionCounter().count();
    }

    double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void aReaderBeyondTheLimitIsAskedToRetryLaterAndTheServiceNeverHearsOfIt() {
        long earlier = streamsUpstream();
        Disposable first = reader();
        Disposable second = reader();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("majlis.gateway.streams.open") == 2
                // The gateway's feed of the article, and the readers that did not join it, if any.
                && streamsUpstream() - earlier >= 1
                && comments.openStreams(STREAM) + comments.openFeeds(STREAM) == streamsUpstream() - earlier);
            long upstreamBefore = streamsUpstream();
            double refusedBefore = refused();

            client.get().uri(STREAM).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                // A refused reader does not stay connected, holding memory while it waits.
                .expectHeader().valueEquals(HttpHeaders.CONNECTION, "close")
                .expectBody()
                .jsonPath("$.type").isEqualTo("/problems/too-many-streams")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("(2)"));
            assertThat(streamsUpstream()).as("the refused reader never reached the service")
                .isEqualTo(upstreamBefore);
            assertThat(refused()).isEqualTo(refusedBefore + 1);

            // Other requests go through as usual.
            client.get().uri("/api/articles/day-11-crowded/comments").exchange().expectStatus().isOk();

            comments.emit(1, "comment.created", "{\"seq\":1}");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);

            second.dispose();
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge("majlis.gateway.streams.open") == 1);
            Disposable third = reader();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> gauge("majlis.gateway.streams.open") == 2);
                comments.emit(2, "comment.created", "{\"seq\":2}");
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
            }
            finally {
                third.dispose();
            }
        }
        finally {
            first.dispose();
            second.dispose();
        }
    }

    @Test
    void aReaderPipedThroughTakesTheRoomOfSeveralWhoWouldJoinAFeed() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("majlis.gateway.streams.open") == 0);
        // Resuming from a position the feed is not at, it is piped through and holds a stream of its own.
        Disposable resuming = WebClient.create("http://localhost:" + port).get().uri(STREAM)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .header("Last-Event-ID", "7")
            .retrieve()
            .bodyToFlux(String.class)
            .subscribe(received::add, failure -> { });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> feeds.pipedReaders() == 1);
            assertThat(gauge("majlis.gateway.streams.open")).as("readers open").isEqualTo(1);
            double refusedBefore = refused();

            // One reader is open and the limit is two, yet a piped reader weighs as many as a stream in a service.
            client.get().uri(STREAM).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(503);
            assertThat(refused()).isEqualTo(refusedBefore + 1);
        }
        finally {
            resuming.dispose();
        }
        // The feed the reader did not join closes for want of readers, and leaves the service as it found it.
        await().atMost(Duration.ofSeconds(15)).until(() -> feeds.pipedReaders() == 0
            && comments.openStreams(STREAM) + comments.openFeeds(STREAM) == 0);
    }

    @Test
    void theGatewayHoldsAsManyConnectionsAsHalfItsHeapHoldsOfReadersWhoJoinedAFeed() {
        assertThat(gauge("majlis.connections.limit"))
            .isEqualTo((double) (Runtime.getRuntime().maxMemory() / 2 / StreamLimit.JOINED_READER_BYTES));
    }
}
