package ma.majlis.comments.notify;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.RowsFetchSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The webhooks sites and tools registered, and the state of their deliveries as editors see it. */
@Component
class Webhooks {

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final Clock clock;

    Webhooks(DatabaseClient database, TransactionalOperator transaction, Clock clock) {
        this.database = database;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * A webhook as editors see it; the secret is shown only in the answer that created it, when Majlis drew it.
     *
     * @param articles the slugs it hears of; null for every article
     * @param status {@code active}, or {@code failing} since a delivery gave up
     * @param pending deliveries waiting to be sent or retried
     * @param dead deliveries that gave up (dead-lettered); {@code POST …/retry} sends them again
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record View(UUID id, String url, @Nullable List<String> articles, String status, OffsetDateTime createdAt,
        @Nullable OffsetDateTime failingSince, @Nullable String lastError, @Nullable OffsetDateTime lastSuccessAt,
        long pending, long dead, @Nullable String secret) {
    }

    Mono<View> register(String url, String secret, @Nullable List<String> articles, @Nullable String createdBy) {
        UUID id = UUID.randomUUID();
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                insert into webhook (id, url, secret, articles, status, created_by, created_at)
                values (:id, :url, :secret, :articles, 'active', :by, :now)""")
            .bind("id", id)
            .bind("url", url)
            .bind("secret", secret)
            .bind("now", now());
        insert = articles == null ? insert.bindNull("articles", String[].class)
            : insert.bind("articles", articles.toArray(String[]::new));
        insert = createdBy == null ? insert.bindNull("by", String.class) : insert.bind("by", createdBy);
        return insert.then().then(one(id));
    }

    Flux<View> all() {
        return views("true", null).all();
    }

    Mono<View> one(UUID id) {
        return views("w.id = :id", id).one();
    }

    private RowsFetchSpec<View> views(String condition, @Nullable UUID id) {
        DatabaseClient.GenericExecuteSpec select = database.sql("""
                select w.id, w.url, w.articles, w.status, w.created_at, w.failing_since, w.last_error,
                       w.last_success_at,
                       (select count(*) from delivery d where d.webhook_id = w.id and d.state = 'pending') as pending,
                       (select count(*) from delivery d where d.webhook_id = w.id and d.state = 'dead') as dead
                  from webhook w
                 where %s
                 order by w.created_at, w.id""".formatted(condition));
        return (id == null ? select : select.bind("id", id)).map((row, meta) -> {
                String[] articles = row.get("articles", String[].class);
                return new View(row.get("id", UUID.class), row.get("url", String.class),
                    articles == null ? null : List.of(articles), row.get("status", String.class),
                    row.get("created_at", OffsetDateTime.class), row.get("failing_since", OffsetDateTime.class),
                    row.get("last_error", String.class), row.get("last_success_at", OffsetDateTime.class),
                    row.get("pending", Long.class), row.get("dead", Long.class), null);
            });
    }

    /** Removes a webhook and everything it was still owed. Whether there was one. */
    Mono<Boolean> remove(UUID id) {
        return database.sql("delete from webhook where id = :id").bind("id", id).fetch().rowsUpdated()
            .map(deleted -> deleted > 0);
    }

    /**
     * Sends a failing webhook's dead deliveries again, from a first attempt, and clears its failing mark. The number
     * of deliveries requeued; empty when there is no such webhook.
     */
    Mono<Long> retry(UUID id) {
        OffsetDateTime now = now();
        return database.sql("""
                update webhook set status = 'active', failing_since = null where id = :id returning id""")
            .bind("id", id)
            .map((row, meta) -> row.get("id", UUID.class))
            .one()
            .flatMap(found -> database.sql("""
                    update delivery set state = 'pending', attempts = 0, next_attempt_at = :now, claimed_until = null,
                                        dead_at = null, dead_lettered_at = null, finished_at = null
                     where webhook_id = :id and state = 'dead'""")
                .bind("id", id)
                .bind("now", now)
                .fetch().rowsUpdated())
            .flatMap(requeued -> database.sql("select pg_notify('majlis_delivery', '')").then().thenReturn(requeued))
            .as(transaction::transactional);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
