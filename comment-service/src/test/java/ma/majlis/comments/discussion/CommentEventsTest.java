package ma.majlis.comments.discussion;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import ma.majlis.comments.Articles;
import ma.majlis.infra.Topics;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructure;
import ma.majlis.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

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

        List<ConsumerRecord<String, CloudEvent>> events = TopicRecords.atLeast(RealInfrastructure.kafkaBootstrapServers(),
            Topics.COMMENTS, event -> article.slug().equals(event.getSubject()), 2);

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
}
