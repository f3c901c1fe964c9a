package ma.majlis.comments.discussion;

import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request repeated under the same {@code Idempotency-Key} with the first answer; the answer was stored in
 * the transaction that posted the comment ({@link CommentStore}).
 */
@Component
class IdempotentRequests {

    private final DatabaseClient database;

    private final JsonMapper json;

    private final EditTokens tokens;

    IdempotentRequests(DatabaseClient database, JsonMapper json, EditTokens tokens) {
        this.database = database;
        this.json = json;
        this.tokens = tokens;
    }

    /**
     * The first answer to the request under {@code key}: empty if there was none, a 422 problem if the key was used
     * for another request.
     */
    Mono<CommentStore.Posted> previous(CommentStore.Idempotency idempotency) {
        return database.sql("""
                select r.request_hash, r.response, c.edit_token_hash
                  from idempotent_request r
                  left join comment c on c.id = cast(r.response -> 'comment' ->> 'id' as uuid)
                 where r.key = :key""")
            .bind("key", idempotency.key())
            .map((row, meta) -> new Stored(row.get("request_hash", String.class),
                row.get("response", Json.class).asString(), row.get("edit_token_hash", String.class)))
            .one()
            .flatMap(stored -> {
                if (!stored.requestHash().equals(idempotency.requestHash())) {
                    return Mono.error(DiscussionProblems.idempotencyKeyReused());
                }
                CommentStore.Posted first = json.readValue(stored.response(), CommentStore.Posted.class);
                UUID id = first.comment().id();
                String token = tokens.token(id);
                // The token is derived again; if the key it comes from has changed since, it is left out.
                boolean same = stored.tokenHash() != null && EditTokens.matches(token, stored.tokenHash());
                return Mono.just(new CommentStore.Posted(first.comment(), same ? token : null, first.editableUntil()));
            });
    }

    private record Stored(String requestHash, String response, @org.jspecify.annotations.Nullable String tokenHash) {
    }
}
