package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.UUID;

import ma.majlis.platform.pruning.TablePruner;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Old bookkeeping rows go; recent ones and unpublished events stay. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ImportRealInfrastructure
class RetentionTest {

    @Autowired
    TablePruner pruner;

    @Autowired
    DatabaseClient database;

    @Test
    void prunesAnswersOlderThanADayAndPublishedEventsOlderThanAWeekOnly() {
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        key(old, "now() - interval '25 hours'");
        key(recent, "now() - interval '1 hour'");
        UUID oldPublished = outbox("now() - interval '8 days'");
        UUID recentPublished = outbox("now() - interval '1 day'");
        UUID unpublished = outbox("null");

        pruner.prune().block(Duration.ofSeconds(10));

        assertThat(exists("idempotent_request", "key", old)).isFalse();
        assertThat(exists("idempotent_request", "key", recent)).isTrue();
        assertThat(exists("outbox", "id", oldPublished)).isFalse();
        assertThat(exists("outbox", "id", recentPublished)).isTrue();
        assertThat(exists("outbox", "id", unpublished)).as("an event not yet published is never pruned").isTrue();
    }

    private void key(String key, String createdAt) {
        database.sql("insert into idempotent_request (key, request_hash, status, response, created_at)"
                + " values (:key, 'h', 201, '{}'::jsonb, " + createdAt + ")")
            .bind("key", key).then().block(Duration.ofSeconds(5));
    }

    private UUID outbox(String publishedAt) {
        UUID id = UUID.randomUUID();
        database.sql("insert into outbox (id, aggregatetype, aggregateid, type, payload, subject, published_at)"
                + " values (:id, 'comment', 'x', 'test', '{}'::jsonb, 'retention-test', " + publishedAt + ")")
            .bind("id", id).then().block(Duration.ofSeconds(5));
        return id;
    }

    private boolean exists(String table, String column, Object value) {
        return Boolean.TRUE.equals(database.sql("select exists (select 1 from " + table + " where " + column
                + " = :value) as found")
            .bind("value", value).map(row -> row.get("found", Boolean.class)).one().block(Duration.ofSeconds(5)));
    }
}
