package ma.majlis.content.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import ma.majlis.content.ArticleRequests;
import ma.majlis.platform.outbox.OutboxRelay;
import ma.majlis.infra.Topics;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RestartableBroker;
import ma.majlis.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay against a broker of its own, which the test stops and starts again: what was written while Kafka was
 * away is published once it is back, every event once, in order per article.
 *
 * <p>Other test contexts share this database; Spring pauses their lifecycle beans, relays included, while this
 * one runs (the test context cache's default pause mode), so only this context's relay sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "majlis.outbox.poll-interval=300ms",
    "spring.kafka.producer.properties.max.block.ms=3000",
    "spring.kafka.producer.properties.request.timeout.ms=3000",
    "spring.kafka.producer.properties.delivery.timeout.ms=8000" })
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class OutboxOutageTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static final RestartableBroker BROKER = new RestartableBroker();

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnBroker {

        @Bean
        @Primary
        KafkaConnectionDetails ownBroker() {
            return () -> List.of(BROKER.bootstrapServers());
        }
    }

    @AfterAll
    static void removeBroker() {
        BROKER.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    JsonMapper json;

    @Autowired
    OutboxRelay relay;

    @Test
    void publishesWhatWasWrittenWhileKafkaWasAwayOnceAndInOrder() {
        String slug = "day-50-outage-" + UUID.randomUUID().toString().substring(0, 8);
        String other = slug + "-other";
        post(slug, "# Day 50: Before the outage\n").expectStatus().isCreated();
        await().atMost(Duration.ofSeconds(30)).until(() -> unpublished() == 0);

        BROKER.stop();
        put(slug, "# Day 50: During the outage\n").expectStatus().isOk();
        put(slug, "# Day 50: Still during the outage\n").expectStatus().isOk();
        post(other, "# Another article, written during the outage\n").expectStatus().isCreated();
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> unpublished() == 3);

        BROKER.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> unpublished() == 0);

        List<ConsumerRecord<String, CloudEvent>> events = TopicRecords.all(BROKER.bootstrapServers(), Topics.ARTICLES,
            event -> true);
        List<ConsumerRecord<String, CloudEvent>> about = events.stream()
            .filter(record -> slug.equals(record.value().getSubject())).toList();
        assertThat(about).extracting(record -> version(record.value())).containsExactly(1, 2, 3);
        assertThat(about).extracting(record -> record.value().getType())
            .containsExactly("ma.majlis.article.published.v1", "ma.majlis.article.updated.v1",
                "ma.majlis.article.updated.v1");
        assertThat(events.stream().filter(record -> other.equals(record.value().getSubject()))).hasSize(1);
        List<String> ids = events.stream().map(record -> record.value().getId()).toList();
        assertThat(ids).as("every event once").doesNotHaveDuplicates();
        assertThat(ids).containsAll(outboxIds(slug, other));
    }

    @Test
    void aRestartedRelayPublishesWhatWasWrittenWhileItWasStoppedInOrder() {
        String slug = "day-51-restart-" + UUID.randomUUID().toString().substring(0, 8);
        relay.stop();
        try {
            post(slug, "# Day 51: Written while the relay is stopped\n").expectStatus().isCreated();
            put(slug, "# Day 51: Changed while the relay is stopped\n").expectStatus().isOk();
            client.delete().uri("/api/articles/" + slug).exchange().expectStatus().isNoContent();
            await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> unpublished() == 3);
        }
        finally {
            relay.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> unpublished() == 0);

        List<ConsumerRecord<String, CloudEvent>> about = TopicRecords.all(BROKER.bootstrapServers(), Topics.ARTICLES,
            event -> slug.equals(event.getSubject()));
        assertThat(about).extracting(record -> record.value().getType())
            .containsExactly("ma.majlis.article.published.v1", "ma.majlis.article.updated.v1",
                "ma.majlis.article.withdrawn.v1");
        assertThat(about).extracting(record -> record.value().getId())
            .containsExactlyElementsOf(outboxIdsInOrder(slug));
    }

    private List<String> outboxIdsInOrder(String subject) {
        return database.sql("select id::text as id from outbox where subject = :subject order by position")
            .bind("subject", subject)
            .map(row -> row.get("id", String.class)).all().collectList().block(WAIT);
    }

    private int version(CloudEvent event) {
        Map<?, ?> data = json.readValue(new String(event.getData().toBytes(), StandardCharsets.UTF_8), Map.class);
        return (Integer) data.get("version");
    }

    private long unpublished() {
        return (Long) database.sql("select count(*) as n from outbox where published_at is null").fetch().one()
            .block(WAIT).get("n");
    }

    private List<String> outboxIds(String... subjects) {
        return database.sql("select id::text as id from outbox where subject = any(:subjects)")
            .bind("subjects", subjects)
            .map(row -> row.get("id", String.class)).all().collectList().block(WAIT);
    }

    private WebTestClient.ResponseSpec post(String slug, String page) {
        return ArticleRequests.post(client, slug + ".md", page);
    }

    private WebTestClient.ResponseSpec put(String slug, String page) {
        return ArticleRequests.put(client, slug, "*", page);
    }
}
