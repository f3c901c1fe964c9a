package ma.majlis.content.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import ma.majlis.content.ArticleRequests;
import ma.majlis.content.articles.ArticleEvent;
import ma.majlis.infra.Topics;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructure;
import ma.majlis.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class OutboxRelayTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    JsonMapper json;

    @Test
    void publishesEachArticleChangeAsABinaryCloudEventKeyedByTheArticle() {
        String slug = "day-20-relay-" + UUID.randomUUID().toString().substring(0, 8);
        post(slug, "# Day 20: Relays\n\nFirst.").expectStatus().isCreated();
        post(slug, "# Day 20: Relays\n\nSecond.").expectStatus().isEqualTo(409);

        List<ConsumerRecord<String, CloudEvent>> events = TopicRecords.atLeast(RealInfrastructure.kafkaBootstrapServers(),
            Topics.ARTICLES, event -> slug.equals(event.getSubject()), 1);
        ConsumerRecord<String, CloudEvent> record = events.get(0);
        CloudEvent event = record.value();
        Map<String, Object> row = database.sql("select id, aggregateid, published_at from outbox where subject = :slug")
            .bind("slug", slug).fetch().one().block(Duration.ofSeconds(10));

        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(event.getId()).isEqualTo(row.get("id").toString());
        assertThat(event.getType()).isEqualTo(ArticleEvent.PUBLISHED);
        assertThat(event.getSource().toString()).isEqualTo("/content-service");
        assertThat(event.getSubject()).isEqualTo(slug);
        assertThat(event.getTime()).isNotNull();
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(record.key()).isEqualTo(row.get("aggregateid"));
        Map<?, ?> data = json.readValue(new String(event.getData().toBytes(), StandardCharsets.UTF_8), Map.class);
        assertThat(data.get("slug")).isEqualTo(slug);
        assertThat(data.get("id")).isEqualTo(record.key());
        assertThat(data.get("version")).isEqualTo(1);
        assertThat(data.get("title")).isEqualTo("Day 20: Relays");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(database
            .sql("select published_at from outbox where subject = :slug").bind("slug", slug).fetch().one()
            .block(Duration.ofSeconds(10))).extractingByKey("published_at").isNotNull());
    }

    private WebTestClient.ResponseSpec post(String slug, String page) {
        return ArticleRequests.post(client, slug + ".md", page);
    }
}
