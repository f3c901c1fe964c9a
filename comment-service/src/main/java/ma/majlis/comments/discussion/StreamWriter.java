package ma.majlis.comments.discussion;

import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.platform.outbox.OutboxWriter;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a change of a discussion to the article's stream and to the outbox; call it inside the change's
 * transaction. Taking a position locks the article's row until the transaction ends, so an article's changes
 * commit in the order of their positions.
 */
@Component
class StreamWriter {

    private final DatabaseClient database;

    private final OutboxWriter outbox;

    private final JsonMapper json;

    StreamWriter(DatabaseClient database, OutboxWriter outbox, JsonMapper json) {
        this.database = database;
        this.outbox = outbox;
        this.json = json;
    }

    /** The article's next stream position. */
    Mono<Long> nextSeq(UUID articleId) {
        return database.sql("update article set last_seq = last_seq + 1 where id = :id returning last_seq")
            .bind("id", articleId)
            .map((row, meta) -> row.get("last_seq", Long.class))
            .one();
    }

    /** Records the change in the article's stream and the outbox. */
    Mono<Void> record(CommentEvent event, String type) {
        String payload = json.writeValueAsString(event);
        return database.sql("""
                insert into comment_event (article_id, seq, comment_id, type, payload, visible)
                values (:articleId, :seq, :commentId, :type, :payload, :visible)""")
            .bind("articleId", event.articleId())
            .bind("seq", event.seq())
            .bind("commentId", event.id())
            .bind("type", type)
            .bind("payload", Json.of(payload))
            .bind("visible", !event.status().equals(CommentStore.PENDING))
            .then()
            .then(outbox.append(CommentEvent.AGGREGATE_TYPE, event.articleId().toString(), type, event.articleSlug(),
                event))
            .then();
    }

    /**
     * Keeps the published counts right when a comment's status changes: its article's count for list pages, and
     * its parent's count of replies.
     */
    Mono<Void> statusChanged(UUID articleId, @org.jspecify.annotations.Nullable UUID parentId, String before,
        String after) {
        int delta = (after.equals(CommentStore.PUBLISHED) ? 1 : 0) - (before.equals(CommentStore.PUBLISHED) ? 1 : 0);
        if (delta == 0) {
            return Mono.empty();
        }
        Mono<Void> article = database.sql("update article set published_count = published_count + :delta"
                + " where id = :id")
            .bind("delta", delta)
            .bind("id", articleId)
            .then();
        Mono<Void> parent = parentId == null ? Mono.empty()
            : database.sql("update comment set reply_count = greatest(0, reply_count + :delta) where id = :id")
                .bind("delta", delta)
                .bind("id", parentId)
                .then();
        return article.then(parent);
    }
}
