package ma.majlis.comments;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import ma.majlis.infra.Topics;
import ma.majlis.testing.RealInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.awaitility.Awaitility.await;

/**
 * Announces articles on {@code majlis.articles.v1} as content-service does (CloudEvents in binary mode, keyed by
 * article id), and waits until comment-service's projection has them.
 */
public final class Articles {

    private Articles() {
    }

    /** An article as announced. */
    public record Announced(UUID id, String slug) {
    }

    /** Announces a new published article whose discussion is open or closed, and waits until it is known. */
    public static Announced publish(DatabaseClient database, String slugPrefix, boolean commentsEnabled) {
        return publish(RealInfrastructure.kafkaBootstrapServers(), database, slugPrefix, commentsEnabled);
    }

    /** The same, on the broker at {@code bootstrapServers}. */
    public static Announced publish(String bootstrapServers, DatabaseClient database, String slugPrefix,
        boolean commentsEnabled) {
        Announced article = new Announced(UUID.randomUUID(), slugPrefix + "-" + UUID.randomUUID().toString()
            .substring(0, 8));
        announce(bootstrapServers, article, "ma.majlis.article.published.v1", "published", commentsEnabled, 1);
        awaitVersion(database, article, 1);
        return article;
    }

    /** Announces that the article is withdrawn, and waits until it is known. */
    public static void withdraw(DatabaseClient database, Announced article) {
        announce(RealInfrastructure.kafkaBootstrapServers(), article, "ma.majlis.article.withdrawn.v1", "withdrawn",
            true, 2);
        awaitVersion(database, article, 2);
    }

    private static void announce(String bootstrapServers, Announced article, String type, String status,
        boolean commentsEnabled, int version) {
        String data = """
            {"id": "%s", "slug": "%s", "title": "Day 70: A discussion", "summary": null, "commentsEnabled": %s,
             "status": "%s", "publishedAt": "2026-11-27T10:00:00Z", "version": %d}"""
            .formatted(article.id(), article.slug(), commentsEnabled, status, version);
        CloudEvent event = CloudEventBuilder.v1()
            .withId(UUID.randomUUID().toString())
            .withType(type)
            .withSource(URI.create("/content-service"))
            .withSubject(article.slug())
            .withDataContentType("application/json")
            .withData(data.getBytes(StandardCharsets.UTF_8))
            .build();
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(Topics.ARTICLES, article.id().toString(), event));
        }
    }

    private static void awaitVersion(DatabaseClient database, Announced article, int version) {
        await().atMost(Duration.ofSeconds(30)).until(() -> database
            .sql("select version from article where id = :id")
            .bind("id", article.id())
            .map(row -> row.get("version", Integer.class))
            .one()
            .blockOptional(Duration.ofSeconds(5))
            .map(applied -> applied >= version)
            .orElse(false));
    }
}
