package ma.majlis.content.counts;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import ma.majlis.content.ArticleRequests;
import ma.majlis.infra.Topics;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/** Comment counts come from comment-service's events on a real broker, each event applied once. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.articles.max-page-bytes=4096")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CommentCountsTest {

    @Autowired
    WebTestClient client;

    KafkaProducer<String, CloudEvent> producer;

    String slug;

    String articleId;

    UUID lastEventId;

    @Autowired
    DatabaseClient database;

    @BeforeEach
    void articleAndProducer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            RealInfrastructure.kafkaBootstrapServers()), new StringSerializer(), new CloudEventSerializer());
        slug = "day-40-counted-" + UUID.randomUUID().toString().substring(0, 8);
        Map<?, ?> created = ArticleRequests.post(client, slug + ".md", "# Day 40: Counted\n")
            .expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();
        articleId = (String) created.get("id");
    }

    @AfterEach
    void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void countsPublishedCommentsAndFollowsModerationAndDeletion() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID held = UUID.randomUUID();
        send(UUID.randomUUID(), CommentCounts.CREATED, first, "published");
        send(UUID.randomUUID(), CommentCounts.CREATED, second, "published");
        send(UUID.randomUUID(), CommentCounts.CREATED, held, "pending");
        send(UUID.randomUUID(), CommentCounts.EDITED, first, "published");
        awaitCount(2);

        send(UUID.randomUUID(), CommentCounts.MODERATED, held, "published");
        send(UUID.randomUUID(), CommentCounts.DELETED, second, "deleted");
        send(UUID.randomUUID(), CommentCounts.MODERATED, first, "hidden");
        awaitCount(1);
    }

    @Test
    void aReplayedEventIsAppliedOnceEvenWhenItComesAfterALaterOne() {
        UUID comment = UUID.randomUUID();
        UUID created = UUID.randomUUID();
        send(created, CommentCounts.CREATED, comment, "published");
        send(UUID.randomUUID(), CommentCounts.DELETED, comment, "deleted");
        // The relay repeats an event it had sent before it could mark it: same ce_id, after the deletion.
        send(created, CommentCounts.CREATED, comment, "published");
        UUID other = UUID.randomUUID();
        send(UUID.randomUUID(), CommentCounts.CREATED, other, "published");

        awaitCount(1);
    }

    @Test
    void appliesEventsThatComeTogetherAsAppliedOneByOne() {
        // Sent together, so that they reach the consumer in one poll, and are applied in one transaction.
        UUID kept = UUID.randomUUID();
        UUID removed = UUID.randomUUID();
        UUID keptCreated = UUID.randomUUID();
        queue(keptCreated, CommentCounts.CREATED, kept, "published");
        queue(UUID.randomUUID(), CommentCounts.CREATED, removed, "published");
        producer.send(unreadable());
        queue(keptCreated, CommentCounts.CREATED, kept, "published");
        queue(UUID.randomUUID(), CommentCounts.DELETED, removed, "deleted");
        queue(UUID.randomUUID(), CommentCounts.CREATED, UUID.randomUUID(), "pending");
        producer.flush();

        awaitCount(1);
    }

    @Test
    void skipsAnEventItCannotReadAndGoesOn() {
        producer.send(unreadable());
        send(UUID.randomUUID(), CommentCounts.CREATED, UUID.randomUUID(), "published");

        awaitCount(1);
    }

    /** Waits until the last event sent is applied (so are all before it: one key, one partition), then checks. */
    private void awaitCount(int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(database
            .sql("select exists (select 1 from consumed_event where id = :id) as applied")
            .bind("id", lastEventId)
            .map(row -> row.get("applied", Boolean.class))
            .one().block(Duration.ofSeconds(10))));
        client.get().uri("/api/articles/" + slug).exchange()
            .expectBody().jsonPath("$.commentCount").isEqualTo(expected);
        client.get().uri("/api/articles?limit=100").exchange()
            .expectBody().jsonPath("$.items[?(@.slug == '" + slug + "')].commentCount").isEqualTo(expected);
    }

    /** A comment event of this article whose data is not JSON. */
    private ProducerRecord<String, CloudEvent> unreadable() {
        return new ProducerRecord<>(Topics.COMMENTS, articleId, CloudEventBuilder.v1()
            .withId(UUID.randomUUID().toString())
            .withType(CommentCounts.CREATED)
            .withSource(URI.create("/comment-service"))
            .withDataContentType("application/json")
            .withData("{not json".getBytes(StandardCharsets.UTF_8))
            .build());
    }

    private void send(UUID eventId, String type, UUID commentId, String status) {
        queue(eventId, type, commentId, status);
        producer.flush();
    }

    /** Hands the event to the producer, which sends it with those handed to it about the same time. */
    private void queue(UUID eventId, String type, UUID commentId, String status) {
        String data = """
            {"id": "%s", "articleId": "%s", "articleSlug": "%s", "parentId": null, "seq": 1,
             "authorName": "Reader", "bodyHtml": "<p>Hi</p>", "status": "%s",
             "createdAt": "2026-11-27T10:00:00Z", "editedAt": null}"""
            .formatted(commentId, articleId, slug, status);
        CloudEvent event = CloudEventBuilder.v1()
            .withId(eventId.toString())
            .withType(type)
            .withSource(URI.create("/comment-service"))
            .withSubject(slug)
            .withDataContentType("application/json")
            .withData(data.getBytes(StandardCharsets.UTF_8))
            .build();
        producer.send(new ProducerRecord<>(Topics.COMMENTS, articleId, event));
        lastEventId = eventId;
    }
}
