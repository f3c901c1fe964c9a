package ma.majlis.comments.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The delivery table as the senders use it: claim what is due, read what a delivery sends, record how it went,
 * gather digests, and find dead deliveries to publish.
 */
class Deliveries {

    /** A delivery an instance has claimed and is about to send. */
    record Claimed(UUID id, String eventId, String subscriber, String kind, @Nullable UUID subscriptionId,
        @Nullable UUID webhookId, @Nullable UUID commentId, @Nullable String payload, int attempts,
        OffsetDateTime createdAt) {

        String channel() {
            return kind.equals("webhook") ? "webhook" : "mail";
        }
    }

    /** A delivery that gave up, as the dead-letter topic carries it. */
    record Dead(UUID id, String eventId, String subscriber, String kind, @Nullable UUID webhookId,
        @Nullable String url, @Nullable UUID commentId, @Nullable String articleSlug, int attempts,
        @Nullable String lastError, OffsetDateTime createdAt, OffsetDateTime deadAt, @Nullable String payload) {
    }

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final MailTexts texts;

    private final Clock clock;

    Deliveries(DatabaseClient database, TransactionalOperator transaction, MailTexts texts, Clock clock) {
        this.database = database;
        this.transaction = transaction;
        this.texts = texts;
        this.clock = clock;
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * Claims up to {@code limit} due deliveries of one channel for {@code hold}: the first due of each subscriber,
     * none of the subscribers in {@code busy} (one delivery per subscriber at a time, so a slow receiver holds up
     * only its own). A row another instance claimed first is left to it.
     */
    Flux<Claimed> claim(boolean webhooks, List<String> busy, int limit, Duration hold) {
        OffsetDateTime now = now();
        return database.sql("""
                with candidates as (
                    select id from (
                        select id, next_attempt_at,
                               row_number() over (partition by subscriber order by next_attempt_at, created_at) as nth
                          from delivery
                         where state = 'pending' and next_attempt_at <= :now
                           and (claimed_until is null or claimed_until <= :now)
                           and (kind = 'webhook') = :webhooks
                           and not (subscriber = any (:busy))) due
                     where nth = 1
                     order by next_attempt_at
                     limit :limit)
                update delivery d set claimed_until = :until
                  from candidates c
                 where d.id = c.id and d.state = 'pending' and (d.claimed_until is null or d.claimed_until <= :now)
             returning d.id, d.event_id, d.subscriber, d.kind, d.subscription_id, d.webhook_id, d.comment_id,
                       d.payload, d.attempts, d.created_at""")
            .bind("now", now)
            .bind("webhooks", webhooks)
            .bind("busy", busy.toArray(String[]::new))
            .bind("limit", limit)
            .bind("until", now.plus(hold))
            .map((row, meta) -> new Claimed(row.get("id", UUID.class), row.get("event_id", String.class),
                row.get("subscriber", String.class), row.get("kind", String.class),
                row.get("subscription_id", UUID.class), row.get("webhook_id", UUID.class),
                row.get("comment_id", UUID.class), row.get("payload", String.class),
                row.get("attempts", Integer.class), row.get("created_at", OffsetDateTime.class)))
            .all();
    }

    /** What {@code delivery} sends now, read fresh: a comment hidden or a subscription ended since owes nothing. */
    Mono<Outgoing> outgoing(Claimed delivery) {
        return switch (delivery.kind()) {
            case "webhook" -> webhookCall(delivery);
            case "confirmation" -> subscription(delivery, "pending")
                .flatMap(found -> found.confirmToken() == null ? Mono.<Outgoing>empty()
                    : Mono.just(texts.confirmation(found.subscription(), found.confirmToken())))
                .defaultIfEmpty(new Outgoing.Dropped("the subscription was confirmed or ended meanwhile"));
            case "comment" -> subscription(delivery, "confirmed")
                .flatMap(found -> visibleComments("c.id = :key", delivery.commentId())
                    .next()
                    .<Outgoing>map(comment -> texts.comment(found.subscription(), comment))
                    .defaultIfEmpty(new Outgoing.Dropped("the comment is no longer shown")))
                .defaultIfEmpty(new Outgoing.Dropped("the subscriber left"));
            case "digest" -> subscription(delivery, "confirmed")
                .flatMap(found -> visibleComments("c.id in (select comment_id from delivery where digest_id = :key)",
                        delivery.id())
                    .collectList()
                    .<Outgoing>map(comments -> comments.isEmpty()
                        ? new Outgoing.Dropped("none of its comments is shown any more")
                        : texts.digest(found.subscription(), comments)))
                .defaultIfEmpty(new Outgoing.Dropped("the subscriber left"));
            default -> Mono.just(new Outgoing.Dropped("it is of an unknown kind: " + delivery.kind()));
        };
    }

    private record FoundSubscription(MailTexts.Subscription subscription, @Nullable String confirmToken) {
    }

    private Mono<FoundSubscription> subscription(Claimed delivery, String status) {
        if (delivery.subscriptionId() == null) {
            return Mono.empty();
        }
        return database.sql("""
                select s.address, s.kind, s.mode, s.unsubscribe_token, s.confirm_token, a.slug, a.title
                  from subscription s join article a on a.id = s.article_id
                 where s.id = :id and s.status = :status""")
            .bind("id", delivery.subscriptionId())
            .bind("status", status)
            .map((row, meta) -> new FoundSubscription(new MailTexts.Subscription(row.get("address", String.class),
                row.get("kind", String.class), row.get("mode", String.class), row.get("slug", String.class),
                row.get("title", String.class), row.get("unsubscribe_token", String.class)),
                row.get("confirm_token", String.class)))
            .one();
    }

    private Flux<Outgoing.Comment> visibleComments(String condition, @Nullable UUID key) {
        if (key == null) {
            return Flux.empty();
        }
        return database.sql("""
                select c.id, c.author_name, c.body_markdown, c.article_slug
                  from comment c
                 where %s and c.status = 'published'
                 order by c.created_at, c.seq""".formatted(condition))
            .bind("key", key)
            .map((row, meta) -> new Outgoing.Comment(String.valueOf(row.get("id", UUID.class)),
                row.get("author_name", String.class), row.get("body_markdown", String.class),
                row.get("article_slug", String.class)))
            .all();
    }

    private Mono<Outgoing> webhookCall(Claimed delivery) {
        if (delivery.webhookId() == null || delivery.payload() == null) {
            return Mono.just(new Outgoing.Dropped("it names no webhook or body"));
        }
        String payload = delivery.payload();
        return database.sql("""
                select w.url, w.secret,
                       exists (select 1 from comment c where c.id = :comment and c.status = 'published') as shown
                  from webhook w where w.id = :id""")
            .bind("id", delivery.webhookId())
            .bind("comment", delivery.commentId() == null ? new UUID(0, 0) : delivery.commentId())
            .map((row, meta) -> Boolean.TRUE.equals(row.get("shown", Boolean.class))
                ? (Outgoing) new Outgoing.Call(row.get("url", String.class), row.get("secret", String.class),
                    delivery.eventId(), payload)
                : new Outgoing.Dropped("the comment is no longer shown"))
            .one()
            .defaultIfEmpty(new Outgoing.Dropped("the webhook was removed"));
    }

    Mono<Void> sent(Claimed delivery) {
        OffsetDateTime now = now();
        Mono<Void> marked = database.sql("""
                update delivery set state = 'sent', sent_at = :now, finished_at = :now, attempts = attempts + 1,
                                    claimed_until = null, last_error = null
                 where id = :id""")
            .bind("id", delivery.id())
            .bind("now", now)
            .then();
        if (delivery.webhookId() == null) {
            return marked;
        }
        return marked.then(database.sql("""
                update webhook set last_success_at = :now, status = 'active', failing_since = null, last_error = null
                 where id = :id""")
            .bind("id", delivery.webhookId())
            .bind("now", now)
            .then()).as(transaction::transactional);
    }

    Mono<Void> dropped(Claimed delivery, String reason) {
        return database.sql("""
                update delivery set state = 'dropped', claimed_until = null, finished_at = :now, last_error = :reason
                 where id = :id""")
            .bind("id", delivery.id())
            .bind("now", now())
            .bind("reason", "not sent: " + reason)
            .then();
    }

    /** A failed attempt, to be tried again at {@code retryAt}. */
    Mono<Void> retryLater(Claimed delivery, String error, OffsetDateTime retryAt) {
        return database.sql("""
                update delivery set attempts = attempts + 1, next_attempt_at = :at, claimed_until = null,
                                    last_error = :error
                 where id = :id""")
            .bind("id", delivery.id())
            .bind("at", retryAt)
            .bind("error", error)
            .then();
    }

    /** The last attempt failed: the delivery is dead, and its webhook, if any, is marked failing. */
    Mono<Void> dead(Claimed delivery, String error) {
        OffsetDateTime now = now();
        Mono<Void> marked = database.sql("""
                update delivery set state = 'dead', attempts = attempts + 1, dead_at = :now, finished_at = :now,
                                    claimed_until = null, last_error = :error
                 where id = :id""")
            .bind("id", delivery.id())
            .bind("now", now)
            .bind("error", error)
            .then();
        if (delivery.webhookId() == null) {
            return marked;
        }
        return marked.then(database.sql("""
                update webhook set status = 'failing', failing_since = coalesce(failing_since, :now),
                                   last_error = :error
                 where id = :id""")
            .bind("id", delivery.webhookId())
            .bind("now", now)
            .bind("error", error)
            .then()).as(transaction::transactional);
    }

    /** Lets go of deliveries claimed but not sent (this instance is stopping), for the next instance to send. */
    Mono<Void> release(List<UUID> claimed) {
        return claimed.isEmpty() ? Mono.empty()
            : database.sql("update delivery set claimed_until = null where id = any (:ids) and state = 'pending'")
                .bind("ids", claimed.toArray(UUID[]::new))
                .then();
    }

    /**
     * Gathers the held comments of each digest subscriber whose oldest held comment has waited {@code interval}
     * into one digest delivery. How many digests it made.
     */
    Mono<Long> gatherDigests(Duration interval) {
        OffsetDateTime now = now();
        return database.sql("""
                select subscription_id, min(subscriber) as subscriber
                  from delivery
                 where state = 'held'
                 group by subscription_id
                having min(created_at) <= :cutoff
                 limit 100""")
            .bind("cutoff", now.minus(interval))
            .map((row, meta) -> new Due(row.get("subscription_id", UUID.class), row.get("subscriber", String.class)))
            .all()
            .concatMap(due -> gatherDigest(due.subscription(), due.subscriber(), now))
            .count();
    }

    private record Due(UUID subscription, String subscriber) {
    }

    private Mono<Void> gatherDigest(UUID subscription, String subscriber, OffsetDateTime now) {
        UUID digest = UUID.randomUUID();
        return database.sql("""
                insert into delivery (id, event_id, subscriber, kind, subscription_id, state, next_attempt_at,
                                      created_at)
                values (:id, :event, :subscriber, 'digest', :subscription, 'pending', :now, :now)""")
            .bind("id", digest)
            .bind("event", "digest:" + digest)
            .bind("subscriber", subscriber)
            .bind("subscription", subscription)
            .bind("now", now)
            .then()
            .then(database.sql("""
                    update delivery set state = 'bundled', digest_id = :digest
                     where id in (select id from delivery where subscription_id = :subscription and state = 'held'
                                     for update skip locked)""")
                .bind("digest", digest)
                .bind("subscription", subscription)
                .fetch().rowsUpdated())
            // Another instance gathered them first: no digest of nothing.
            .flatMap(bundled -> bundled > 0 ? Mono.<Void>empty()
                : database.sql("delete from delivery where id = :id").bind("id", digest).then())
            .as(transaction::transactional);
    }

    /** Dead deliveries not yet on the dead-letter topic. */
    Flux<Dead> notDeadLettered(int limit) {
        return database.sql("""
                select d.id, d.event_id, d.subscriber, d.kind, d.webhook_id, w.url, d.comment_id, c.article_slug,
                       d.attempts, d.last_error, d.created_at, d.dead_at, d.payload
                  from delivery d
                  left join webhook w on w.id = d.webhook_id
                  left join comment c on c.id = d.comment_id
                 where d.state = 'dead' and d.dead_lettered_at is null
                 order by d.dead_at
                 limit :limit""")
            .bind("limit", limit)
            .map(Deliveries::dead)
            .all();
    }

    private static Dead dead(Readable row) {
        return new Dead(row.get("id", UUID.class), row.get("event_id", String.class),
            row.get("subscriber", String.class), row.get("kind", String.class), row.get("webhook_id", UUID.class),
            row.get("url", String.class), row.get("comment_id", UUID.class), row.get("article_slug", String.class),
            row.get("attempts", Integer.class), row.get("last_error", String.class),
            row.get("created_at", OffsetDateTime.class), row.get("dead_at", OffsetDateTime.class),
            row.get("payload", String.class));
    }

    Mono<Void> deadLettered(UUID delivery) {
        return database.sql("update delivery set dead_lettered_at = :now where id = :id")
            .bind("id", delivery)
            .bind("now", now())
            .then();
    }

    /** How many deliveries wait to be sent, and how long the oldest has waited. */
    Mono<long[]> backlog() {
        return database.sql("""
                select count(*) as waiting, min(created_at) as oldest from delivery where state = 'pending'""")
            .map((row, meta) -> {
                OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                long age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now()).toMillis());
                return new long[] { row.get("waiting", Long.class), age };
            })
            .one();
    }
}
