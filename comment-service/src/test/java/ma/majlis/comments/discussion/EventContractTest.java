package ma.majlis.comments.discussion;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import ma.majlis.comments.Articles;
import ma.majlis.comments.Tokens;
import ma.majlis.infra.Topics;
import ma.majlis.testing.AsyncApiContract;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructure;
import ma.majlis.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What comment-service really publishes on {@code majlis.comments.v1} is what docs/asyncapi.yaml promises its
 * consumers: each record's headers, key and data validate against the schemas of the message its type names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class EventContractTest {

    static final AsyncApiContract CONTRACT = AsyncApiContract.ofProject();

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    Environment environment;

    @Test
    void everyCommentEventItPublishesValidatesAgainstTheAsyncApiDocument() {
        Articles.Announced article = Articles.publish(database, "day-31-contract", true);
        Map<?, ?> root = post(article.slug(), Map.of("authorName", "Amina", "body", "A *first* word"));
        String rootId = (String) ((Map<?, ?>) root.get("comment")).get("id");
        Map<?, ?> reply = post(article.slug(), Map.of("authorName", "Youssef", "body", "A reply",
            "parentId", rootId));
        String replyId = (String) ((Map<?, ?>) reply.get("comment")).get("id");

        client.patch().uri("/api/comments/{id}", rootId).header("X-Edit-Token", (String) root.get("editToken"))
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("body", "A *better* word")).exchange()
            .expectStatus().isOk().expectBody().consumeWith(body -> { });
        client.patch().uri("/api/comments/{id}", replyId)
            .header(HttpHeaders.AUTHORIZATION, Tokens.bearer(environment, "moderator@majlis", "moderator"))
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "hidden")).exchange()
            .expectStatus().isOk().expectBody().consumeWith(body -> { });
        client.delete().uri("/api/comments/{id}", rootId).header("X-Edit-Token", (String) root.get("editToken"))
            .exchange().expectStatus().is2xxSuccessful().expectBody().consumeWith(body -> { });

        List<ConsumerRecord<String, CloudEvent>> records = TopicRecords.atLeast(
            RealInfrastructure.kafkaBootstrapServers(), Topics.COMMENTS,
            event -> article.slug().equals(event.getSubject()), 5);

        assertThat(records).extracting(record -> record.value().getType())
            .containsExactly("ma.majlis.comment.created.v1", "ma.majlis.comment.created.v1",
                "ma.majlis.comment.edited.v1", "ma.majlis.comment.moderated.v1", "ma.majlis.comment.deleted.v1");
        assertThat(CONTRACT.messageNames(Topics.COMMENTS)).containsExactlyInAnyOrder(
            CommentEvent.CREATED, CommentEvent.EDITED, CommentEvent.DELETED, CommentEvent.MODERATED);
        assertThat(records).allSatisfy(record -> assertThat(
                CONTRACT.violations(Topics.COMMENTS, record, record.value().getData().toBytes()))
            .as("%s against docs/asyncapi.yaml", record.value().getType())
            .isEmpty());
    }

    private Map<?, ?> post(String slug, Map<String, Object> comment) {
        return client.post().uri("/api/articles/{slug}/comments", slug).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(new HashMap<>(comment)).exchange()
            .expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();
    }
}
