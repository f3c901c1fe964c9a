package ma.majlis.content.counts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps each article's comment count from comment-service's events. A comment counts while it is published; each
 * event says the comment's status now, so an edit changes nothing, a moderation or deletion moves the count by
 * exactly what changed, and the same event applied twice ({@code ce_id} seen before) changes nothing.
 */
public class CommentCounts {

    private static final Logger log = LoggerFactory.getLogger(CommentCounts.class);

    static final String CREATED = "ma.majlis.comment.created.v1";

    static final String EDITED = "ma.majlis.comment.edited.v1";

    static final String DELETED = "ma.majlis.comment.deleted.v1";

    static final String MODERATED = "ma.majlis.comment.moderated.v1";

    private static final Set<String> TYPES = Set.of(CREATED, EDITED, DELETED, MODERATED);

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final JsonMapper json;

    public CommentCounts(DatabaseClient database, TransactionalOperator transaction, JsonMapper json) {
        this.database = database;
        this.transaction = transaction;
        this.json = json;
    }

    /** What one event says about one comment. */
    record CommentState(UUID eventId, UUID commentId, UUID articleId, boolean counted) {
    }

    /**
     * Applies the records of {@code majlis.comments.v1} one poll brought, in order, in one transaction: one commit
     * (and one wait for the disk) for all of them rather than one each. Completes when their effect is stored;
     * if it fails, nothing of it is, and the whole batch is applied again.
     */
    public Mono<Void> applyAll(List<ConsumerRecord<String, String>> records) {
        List<CommentState> states = records.stream().map(this::read).flatMap(Optional::stream).toList();
        if (states.isEmpty()) {
            return Mono.empty();
        }
        return Flux.fromIterable(states)
            .concatMap(this::applyOnce)
            .then()
            .as(transaction::transactional);
    }

    /** Applies one comment event, unless its {@code ce_id} was applied before; within the caller's transaction. */
    private Mono<Void> applyOnce(CommentState state) {
        return database.sql("insert into consumed_event (id) values (:id) on conflict do nothing")
            .bind("id", state.eventId())
            .fetch()
            .rowsUpdated()
            .flatMap(inserted -> inserted == 0 ? Mono.empty() : count(state));
    }

    private Mono<Void> count(CommentState state) {
        return database.sql("select counted from counted_comment where comment_id = :id for update")
            .bind("id", state.commentId())
            .map((row, meta) -> Boolean.TRUE.equals(row.get("counted", Boolean.class)))
            .one()
            .defaultIfEmpty(false)
            .flatMap(before -> {
                int delta = (state.counted() ? 1 : 0) - (before ? 1 : 0);
                Mono<Void> remember = database.sql("""
                        insert into counted_comment (comment_id, article_id, counted)
                        values (:commentId, :articleId, :counted)
                        on conflict (comment_id) do update set counted = excluded.counted""")
                    .bind("commentId", state.commentId())
                    .bind("articleId", state.articleId())
                    .bind("counted", state.counted())
                    .then();
                Mono<Void> move = delta == 0 ? Mono.empty() : database.sql("""
                        update article set comment_count = greatest(0, comment_count + :delta) where id = :articleId""")
                    .bind("delta", delta)
                    .bind("articleId", state.articleId())
                    .then();
                return remember.then(move);
            });
    }

    /** The event in a record, or empty (logged) when it is not a comment event this service can use. */
    Optional<CommentState> read(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        String id = header(record, "ce_id");
        if (type == null || !TYPES.contains(type)) {
            // Another kind of event, or a newer version of one: not this consumer's business.
            return Optional.empty();
        }
        try {
            UUID eventId = UUID.fromString(String.valueOf(id));
            JsonNode data = json.readTree(record.value() == null ? "" : record.value());
            UUID commentId = UUID.fromString(data.path("id").asString());
            UUID articleId = UUID.fromString(data.path("articleId").asString());
            boolean counted = !type.equals(DELETED) && "published".equals(data.path("status").asString(""));
            return Optional.of(new CommentState(eventId, commentId, articleId, counted));
        }
        catch (IllegalArgumentException | JacksonException ex) {
            log.warn("Skipped the {} event at partition {} offset {}: it has no usable ce_id, id or articleId ({}).",
                type, record.partition(), record.offset(), ex.getMessage());
            return Optional.empty();
        }
    }

    private static @Nullable String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
