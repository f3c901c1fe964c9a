package ma.majlis.content.outbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import ma.majlis.infra.Topics;
import ma.majlis.testing.AsyncApiContract;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructure;
import ma.majlis.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static ma.majlis.content.ArticleRequests.post;
import static ma.majlis.content.ArticleRequests.put;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What content-service really publishes on {@code majlis.articles.v1} is what docs/asyncapi.yaml promises its
 * consumers: each record's headers, key and data validate against the schemas of the message its type names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class EventContractTest {

    static final AsyncApiContract CONTRACT = AsyncApiContract.ofProject();

    @Autowired
    WebTestClient client;

    @Test
    void everyArticleEventItPublishesValidatesAgainstTheAsyncApiDocument() {
        String slug = "day-30-contract-" + UUID.randomUUID().toString().substring(0, 8);
        post(client, slug + ".md", "---\ncomments: true\n---\n# Day 30: A contract\n\nFirst.")
            .expectStatus().isCreated().expectBody().consumeWith(body -> { });
        put(client, slug, "\"v1\"", "# Day 30: A contract kept\n\nSecond.")
            .expectStatus().isOk().expectBody().consumeWith(body -> { });
        client.delete().uri("/api/articles/" + slug).exchange().expectStatus().is2xxSuccessful()
            .expectBody().consumeWith(body -> { });

        List<ConsumerRecord<String, CloudEvent>> records = TopicRecords.atLeast(
            RealInfrastructure.kafkaBootstrapServers(), Topics.ARTICLES, event -> slug.equals(event.getSubject()), 3);

        assertThat(records).extracting(record -> record.value().getType())
            .containsExactly("ma.majlis.article.published.v1", "ma.majlis.article.updated.v1",
                "ma.majlis.article.withdrawn.v1");
        assertThat(CONTRACT.messageNames(Topics.ARTICLES)).containsExactlyInAnyOrder(
            ma.majlis.content.articles.ArticleEvent.PUBLISHED, ma.majlis.content.articles.ArticleEvent.UPDATED,
            ma.majlis.content.articles.ArticleEvent.WITHDRAWN);
        assertThat(records).allSatisfy(record -> assertThat(
                CONTRACT.violations(Topics.ARTICLES, record, record.value().getData().toBytes()))
            .as("%s against docs/asyncapi.yaml", record.value().getType())
            .isEmpty());
    }

    @Test
    void catchesARecordThatBreaksTheContract() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.ARTICLES, 0, 0, "not-a-uuid", "{}");
        record.headers().add(new RecordHeader("ce_type", "ma.majlis.article.published.v1".getBytes(
            StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8)));

        List<String> violations = CONTRACT.violations(Topics.ARTICLES, record,
            "{\"id\": \"1\", \"slug\": \"Not A Slug\", \"version\": 0}".getBytes(StandardCharsets.UTF_8));

        assertThat(violations).anyMatch(violation -> violation.startsWith("headers:") && violation.contains("ce_id"))
            .anyMatch(violation -> violation.startsWith("headers:") && violation.contains("ce_specversion"))
            .anyMatch(violation -> violation.startsWith("key:"))
            .anyMatch(violation -> violation.startsWith("payload:") && violation.contains("slug"))
            .anyMatch(violation -> violation.startsWith("payload:") && violation.contains("title"))
            .anyMatch(violation -> violation.startsWith("payload:") && violation.contains("version"));
        assertThat(CONTRACT.violations("majlis.unknown.v1", record, new byte[0]))
            .containsExactly("no channel has the address majlis.unknown.v1");
    }
}
