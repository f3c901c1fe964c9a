package ma.majlis.comments.live;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance holds at most {@code majlis.streams.max-open} streams: a reader beyond them is told to come back
 * later (503, {@code Retry-After}), and taken again once a stream has closed; the discussion stays readable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "majlis.streams.max-open=2", "majlis.streams.retry=7s" })
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class StreamLimitTest {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    StreamHub hub;

    @Autowired
    MeterRegistry meters;

    @Test
    void aReaderBeyondTheLimitIsAskedToRetryLaterAndIsTakenOnceAStreamCloses() {
        Articles.Announced article = Articles.publish(database, "day-79-crowded", true);
        try (StreamReader first = new StreamReader(port, article.slug(), null);
            StreamReader second = new StreamReader(port, article.slug(), null)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.connected() && second.connected());
            assertThat(hub.openStreams()).isEqualTo(2);

            client.get().uri("/api/articles/{slug}/comments/stream", article.slug())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectHeader().valueEquals(HttpHeaders.CONNECTION, "close")
                .expectBody()
                .jsonPath("$.type").isEqualTo("/problems/too-many-streams")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("(2)"));
            assertThat(hub.openStreams()).as("the refused reader holds nothing").isEqualTo(2);
            assertThat(meters.get("majlis.streams.refused").functionCounter().count()).isEqualTo(1);

            client.get().uri("/api/articles/{slug}/comments", article.slug())
                .exchange()
                .expectStatus().isOk();

            second.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.openStreams() == 1);
            try (StreamReader third = new StreamReader(port, article.slug(), null)) {
                await().atMost(Duration.ofSeconds(30)).until(third::connected);
                assertThat(hub.openStreams()).isEqualTo(2);
            }
        }
    }
}
