package ma.majlis.content.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import ma.majlis.content.ArticleRequests;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/** With polling all but off, only PostgreSQL's NOTIFY from the outbox trigger can wake the relay. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.outbox.poll-interval=1h")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class OutboxNotifyTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Test
    void aCommittedChangeWakesTheRelayWithoutWaitingForThePoll() {
        for (int i = 0; i < 3; i++) {
            String slug = "day-60-notified-" + UUID.randomUUID().toString().substring(0, 8);
            ArticleRequests.post(client, slug + ".md", "# Day 60: Notified\n").expectStatus().isCreated();
            await().atMost(Duration.ofSeconds(20)).until(() -> published(slug));
        }
    }

    private boolean published(String slug) {
        Map<String, Object> row = database.sql("select published_at from outbox where subject = :slug")
            .bind("slug", slug).fetch().one().block(Duration.ofSeconds(10));
        return row != null && row.get("published_at") != null;
    }
}
