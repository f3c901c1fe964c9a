package ma.majlis.comments.web;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ma.majlis.comments.Articles;
import ma.majlis.comments.live.StreamReaderAccess;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's Prometheus scrapes from comment-service: the framework's metrics and Majlis's own, moving as
 * readers post, are refused, stream, and as the relay publishes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
public class MetricsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @LocalServerPort
    int port;

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        article = Articles.publish(database, "day-90-metrics", true);
    }

    /** The scrape, which outgrows the test client's default buffer once other tests' requests are counted. */
    private String scrape() {
        return client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
            .get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of the series {@code name} whose labels include {@code label}, or 0 when there is none yet. */
    public static double value(String scrape, String name, String label) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$").matcher(scrape);
        while (line.find()) {
            if (label.isEmpty() || (line.group(1) != null && line.group(1).contains(label))) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    /** A line of the scrape for {@code name} whose labels include {@code labels}, with a value. */
    static String series(String name, String labels) {
        return "(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(labels) + "[^}]*} \\d";
    }

    private WebTestClient.ResponseSpec post(String slug, Map<String, Object> body) {
        return client.post().uri("/api/articles/{slug}/comments", slug).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body).exchange();
    }

    @Test
    void countsCommentsCreatedAndRejectedByReason() {
        String before = scrape();
        post(article.slug(), Map.of("authorName", "Amina", "body", "Counted once")).expectStatus().isCreated()
            .expectBody().consumeWith(body -> { });
        post(article.slug(), Map.of("authorName", "Amina", "body", "")).expectStatus().isEqualTo(422)
            .expectBody().consumeWith(body -> { });
        post("no-such-day", Map.of("authorName", "Amina", "body", "Hello")).expectStatus().isNotFound()
            .expectBody().consumeWith(body -> { });
        String after = scrape();

        assertThat(value(after, "majlis_comments_posted_total", "status=\"published\"")
            - value(before, "majlis_comments_posted_total", "status=\"published\"")).isEqualTo(1);
        assertThat(value(after, "majlis_comments_rejected_total", "reason=\"invalid-comment\"")
            - value(before, "majlis_comments_rejected_total", "reason=\"invalid-comment\"")).isEqualTo(1);
        assertThat(value(after, "majlis_comments_rejected_total", "reason=\"article-not-found\"")
            - value(before, "majlis_comments_rejected_total", "reason=\"article-not-found\"")).isEqualTo(1);
        assertThat(after).contains("http_server_requests_seconds_count{");
    }

    @Test
    void reportsOpenStreamsEventsPublishedTheOutboxBacklogAndConsumerLag() {
        double published = value(scrape(), "majlis_events_published_total", "topic=\"majlis.comments.v1\"");
        double open = value(scrape(), "majlis_streams_open", "");
        double streamsTimed = timedStreams(scrape());
        try (StreamReaderAccess reader = new StreamReaderAccess(port, article.slug())) {
            await().atMost(Duration.ofSeconds(10)).until(reader::connected);
            assertThat(value(scrape(), "majlis_streams_open", "")).isEqualTo(open + 1);

            post(article.slug(), Map.of("authorName", "Youssef", "body", "Published")).expectStatus().isCreated()
                .expectBody().consumeWith(body -> { });
            await().atMost(Duration.ofSeconds(15)).until(() -> value(scrape(), "majlis_events_published_total",
                "topic=\"majlis.comments.v1\"") >= published + 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "majlis_streams_open", "") == open);

        String scrape = scrape();
        assertThat(scrape).containsPattern(series("majlis_outbox_backlog", "topic=\"majlis.comments.v1\""))
            .containsPattern(series("majlis_outbox_oldest_age_seconds", "topic=\"majlis.comments.v1\""))
            .containsPattern(series("majlis_consumer_lag",
                "group=\"comment-service.articles\",topic=\"majlis.articles.v1\""))
            .containsPattern(series("majlis_consumer_lag", "group=\"broadcast\",topic=\"majlis.comments.v1\""))
            .containsPattern(series("majlis_streams_open", "application=\"comment-service\""));
        // A stream is open for as long as its reader reads: counted as open, never timed as a request.
        assertThat(scrape).containsPattern(series("http_server_requests_seconds_count",
            "uri=\"/api/articles/{slug}/comments\""));
        assertThat(timedStreams(scrape)).as("the stream of a reader that accepts text/event-stream is not timed")
            .isEqualTo(streamsTimed);
    }

    /** How many stream requests the request timer counted (other tests' clients that ask for any type are). */
    private static double timedStreams(String scrape) {
        Matcher line = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/api/articles/\\{slug}"
            + "/comments/stream\"[^}]*} (\\S+)$").matcher(scrape);
        double sum = 0;
        while (line.find()) {
            sum += Double.parseDouble(line.group(1));
        }
        return sum;
    }
}
