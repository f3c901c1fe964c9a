package ma.majlis.comments.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import ma.majlis.comments.Articles;
import ma.majlis.comments.Tokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which events owe deliveries: a visible comment once per subscriber; a hidden or pending one never. */
class AnnouncementsTest extends NotifyingService {

    @Autowired
    Notifier notifier;

    @Test
    void aCommentHiddenBeforeItsDeliveryWentOutIsNeverAnnounced() {
        Articles.Announced article = Articles.publish(database, "day-97-hidden", true);
        try (WebhookReceiver receiver = new WebhookReceiver(n -> n == 1 ? 500 : 204)) {
            String hook = api.register(receiver.url(), null, article.slug());
            String comment = api.post(article, "Spammer", "Buy now");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls().size() == 1);

            client.patch().uri("/api/comments/{id}", comment)
                .header("Authorization", Tokens.bearer(environment, "mod-1", "moderator"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "hidden")).exchange()
                .expectStatus().isOk().expectBody(String.class);

            await().atMost(Duration.ofSeconds(10)).until(() -> "dropped".equals(state(hook)));
            WebhooksTest.sleep(Duration.ofSeconds(1));
            assertThat(receiver.accepted()).isEmpty();
            assertThat(receiver.calls()).hasSize(1);
        }
    }

    @Test
    void aReplayedEventOwesNothingNew() {
        Articles.Announced article = Articles.publish(database, "day-98-replay", true);
        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            api.register(receiver.url(), null, article.slug());
            String comment = api.post(article, "Reda", "Announced once");
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
            String payload = database.sql("select payload::text as payload from comment_event where comment_id = :id")
                .bind("id", UUID.fromString(comment)).map((row, meta) -> row.get("payload", String.class)).one()
                .block();
            String eventId = receiver.accepted().get(0).header("webhook-id");

            // The same event again (a consumer restarted before committing), and under another id (approved later).
            notifier.apply(record(eventId, "ma.majlis.comment.created.v1", payload)).block();
            notifier.apply(record(UUID.randomUUID().toString(), "ma.majlis.comment.moderated.v1", payload)).block();
            assertThat(deliveries(comment)).isEqualTo(1);

        }
    }

    @Test
    void onlyAnEventThatShowsTheCommentOwesDeliveries() {
        Articles.Announced article = Articles.publish(database, "day-99-pending", true);
        // A comment stored without an event of its own: only the events this test hands the notifier concern it.
        String comment = UUID.randomUUID().toString();
        database.sql("""
                insert into comment (id, article_id, article_slug, seq, depth, author_name, body_markdown, body_html,
                                     status)
                values (:id, :article, :slug, 1, 0, 'Reda', 'Waiting', '<p>Waiting</p>', 'published')""")
            .bind("id", UUID.fromString(comment)).bind("article", article.id()).bind("slug", article.slug())
            .then().block();
        String payload = """
            {"id": "%s", "articleId": "%s", "articleSlug": "%s", "parentId": null, "seq": 1, "commentSeq": 1,
             "depth": 0, "authorName": "Reda", "bodyHtml": "<p>Waiting</p>", "status": "published",
             "createdAt": "2026-11-27T10:00:00Z", "editedAt": null}""".formatted(comment, article.id(), article.slug());
        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            api.register(receiver.url(), null, article.slug());
            String pending = payload.replaceAll("\"status\"\\s*:\\s*\"published\"", "\"status\": \"pending\"");
            assertThat(pending).contains("\"status\": \"pending\"");
            notifier.apply(record(UUID.randomUUID().toString(), "ma.majlis.comment.created.v1", pending)).block();
            notifier.apply(record(UUID.randomUUID().toString(), "ma.majlis.comment.edited.v1", payload)).block();
            assertThat(deliveries(comment)).as("a pending comment, and an edit, announce nothing").isZero();

            database.sql("update comment set status = 'deleted' where id = :id").bind("id", UUID.fromString(comment))
                .then().block();
            notifier.apply(record(UUID.randomUUID().toString(), "ma.majlis.comment.moderated.v1", payload)).block();
            assertThat(deliveries(comment)).as("the comment is deleted now, whatever the event said").isZero();

            database.sql("update comment set status = 'published' where id = :id")
                .bind("id", UUID.fromString(comment)).then().block();
            notifier.apply(record(UUID.randomUUID().toString(), "ma.majlis.comment.moderated.v1", payload)).block();
            assertThat(deliveries(comment)).as("approved: announced").isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
        }
    }

    private static ConsumerRecord<String, String> record(String id, String type, String data) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("majlis.comments.v1", 0, 0, "key", data);
        record.headers().add(new RecordHeader("ce_id", id.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_type", type.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private long deliveries(String comment) {
        return database.sql("select count(*) as n from delivery where comment_id = :id")
            .bind("id", UUID.fromString(comment)).map((row, meta) -> row.get("n", Long.class)).one().block();
    }

    private String state(String hook) {
        return database.sql("select state from delivery where webhook_id = :id").bind("id", UUID.fromString(hook))
            .map((row, meta) -> row.get("state", String.class)).first().block();
    }
}
