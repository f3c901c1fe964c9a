package ma.majlis.comments.discussion;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import ma.majlis.comments.Articles;
import ma.majlis.infra.Topics;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each new comment is announced on majlis.comments.v1 as a binary-mode CloudEvent keyed by its article. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CommentEventsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    JsonMapper json;

    @Test
    void announcesEachCommentInOrderWithTheContractsAttributesAndData() {
        Articles.Announced article = Articles.publish(database, "day-75-events", true);
        String first = post(article, "First", null);
        String reply = post(article, "A reply", first);

        List<ConsumerRecord<String, CloudEvent>> events = eventsAbout(article, 2);

        assertThat(events).extracting(ConsumerRecord::key).containsOnly(article.id().toString());
        CloudEvent event = events.get(1).value();
        assertThat(event.getType()).isEqualTo(CommentEvent.CREATED);
        assertThat(event.getSource().toString()).isEqualTo("/comment-service");
        assertThat(event.getSubject()).isEqualTo(article.slug());
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        Map<String, Object> data = json.readValue(new String(event.getData().toBytes(), StandardCharsets.UTF_8),
            new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(data).containsEntry("id", reply)
            .containsEntry("articleId", article.id().toString())
            .containsEntry("articleSlug", article.slug())
            .containsEntry("parentId", first)
            .containsEntry("seq", 2)
            .containsEntry("authorName", "Reader")
            .containsEntry("bodyHtml", "<p>A reply</p>")
            .containsEntry("status", "published")
            .containsKeys("createdAt", "editedAt");
        assertThat(events).extracting(record -> record.value().getId()).doesNotHaveDuplicates();
    }

    private String post(Articles.Announced article, String body, String parentId) {
        Map<String, Object> comment = new java.util.HashMap<>(Map.of("authorName", "Reader", "body", body));
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        return CommentApiTest.id(client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(comment).exchange().expectStatus().isCreated());
    }

    private static List<ConsumerRecord<String, CloudEvent>> eventsAbout(Articles.Announced article, int count) {
        List<ConsumerRecord<String, CloudEvent>> found = new ArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafkaBootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "comment-events-test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(), new CloudEventDeserializer())) {
            consumer.subscribe(List.of(Topics.COMMENTS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(500))) {
                    if (article.slug().equals(record.value().getSubject())) {
                        found.add(record);
                    }
                }
                return found.size() >= count;
            });
        }
        return found;
    }
}
