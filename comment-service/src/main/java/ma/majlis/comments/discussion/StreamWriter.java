package ma.majlis.comments.discussion;

import java.util.UUID;
import java.util.function.UnaryOperator;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.platform.outbox.OutboxWriter;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a change of a discussion to the article's stream and to the outbox; call it inside the change's
 * transaction. Taking a position locks the article's row until the transaction ends, so an article's changes
 * commit in the order of their positions. The event is written by one statement, which may carry the change's own
 * statements too ({@link Change}): each round trip to PostgreSQL costs both processes more than the rows it writes,
 * and the article's row stays locked until the last one.
 */
@Component
class StreamWriter {

    private static final String RECORDED = """
        recorded as (
            insert into comment_event (article_id, seq, comment_id, type, payload, visible)
            values (:eventArticleId, :eventSeq, :eventCommentId, :eventType, :eventPayload, :eventVisible))
        """;

    private final DatabaseClient database;

    private final JsonMapper json;

    StreamWriter(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /**
     * A data-modifying statement of the change itself, written in the same statement as its event: its SQL becomes
     * a part of that statement's {@code with}, so its parameters must not be named like the event's ({@code event*},
     * {@code outbox*}).
     */
    record Change(String sql, UnaryOperator<DatabaseClient.GenericExecuteSpec> parameters) {
    }

    /** The article's next stream position. */
    Mono<Long> nextSeq(UUID articleId) {
        return database.sql("update article set last_seq = last_seq + 1 where id = :id returning last_seq")
            .bind("id", articleId)
            .map((row, meta) -> row.get("last_seq", Long.class))
            .one();
    }

    /** Records the change in the article's stream and the outbox, with the change's own statements if any. */
    Mono<Void> record(CommentEvent event, String type, Change... changes) {
        StringBuilder sql = new StringBuilder("with ");
        for (int i = 0; i < changes.length; i++) {
            sql.append("change").append(i).append(" as (").append(changes[i].sql()).append("),\n");
        }
        sql.append(RECORDED).append(OutboxWriter.INSERT);
        Json payload = Json.of(json.writeValueAsString(event));
        DatabaseClient.GenericExecuteSpec statement = database.sql(sql.toString())
            .bind("eventArticleId", event.articleId())
            .bind("eventSeq", event.seq())
            .bind("eventCommentId", event.id())
            .bind("eventType", type)
            .bind("eventPayload", payload)
            .bind("eventVisible", !event.status().equals(CommentStore.PENDING));
        for (Change change : changes) {
            statement = change.parameters().apply(statement);
        }
        return OutboxWriter.bind(statement, UUID.randomUUID(), CommentEvent.AGGREGATE_TYPE,
            event.articleId().toString(), type, event.articleSlug(), payload).then();
    }

    /** The change that counts a newly published reply in its parent's count of replies. */
    static Change replyCounted(UUID parentId) {
        return new Change("update comment set reply_count = reply_count + 1 where id = :countedParentId",
            statement -> statement.bind("countedParentId", parentId));
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
