package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import ma.majlis.comments.Articles;
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
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka stopped while readers post: every POST that answered 201 is stored, and once Kafka is back every event is
 * published once, in order, and reaches the readers' streams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "majlis.outbox.poll-interval=300ms",
        "spring.kafka.producer.properties.max.block.ms=3000",
        "spring.kafka.producer.properties.request.timeout.ms=3000",
        "spring.kafka.producer.properties.delivery.timeout.ms=8000" })
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class KafkaOutageTest {

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

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    JsonMapper json;

    @Test
    void commentsWrittenWhileKafkaIsAwayArePublishedOnceInOrderAndReachTheStreamWhenItReturns() {
        String slug = Articles.publish(BROKER.bootstrapServers(), database, "day-79-outage", true).slug();
        try (StreamReader reader = new StreamReader(port, slug, null)) {
            await().atMost(Duration.ofSeconds(30)).until(reader::connected);

            BROKER.stop();
            for (int i = 1; i <= 5; i++) {
                client.post().uri("/api/articles/{slug}/comments", slug)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("authorName", "Reader", "body", "Written during the outage " + i))
                    .exchange()
                    .expectStatus().isCreated()
                    .expectBody(Map.class);
            }
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> unpublished(slug) == 5);
            assertThat(reader.changes()).as("nothing streams before it is published").isEmpty();

            BROKER.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> unpublished(slug) == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.changes().size() == 5);

            List<Long> streamed = reader.ids();
            assertThat(streamed).isSorted().doesNotHaveDuplicates();
            List<ConsumerRecord<String, CloudEvent>> events = TopicRecords.all(BROKER.bootstrapServers(), Topics.COMMENTS,
                event -> slug.equals(event.getSubject()));
            assertThat(events).extracting(record -> record.value().getId()).doesNotHaveDuplicates().hasSize(5);
            assertThat(events).extracting(record -> seq(record.value())).containsExactlyElementsOf(streamed);
        }
    }

    private long seq(CloudEvent event) {
        Map<?, ?> data = json.readValue(new String(event.getData().toBytes(), StandardCharsets.UTF_8), Map.class);
        return ((Number) data.get("seq")).longValue();
    }

    private long unpublished(String slug) {
        return database.sql("select count(*) as n from outbox where subject = :slug and published_at is null")
            .bind("slug", slug).map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }
}
