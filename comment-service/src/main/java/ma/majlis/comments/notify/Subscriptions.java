package ma.majlis.comments.notify;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import ma.majlis.comments.discussion.DiscussionProblems;
import ma.majlis.comments.discussion.EditTokens;
import ma.majlis.comments.discussion.ReplyFollowing;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * E-mail subscriptions, with double opt-in: a new one is pending and owes one confirmation mail; it is confirmed
 * by the one-time token that mail carries, and ended by the unsubscribe token every later mail carries.
 */
@Component
public class Subscriptions implements ReplyFollowing {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final NotificationSettings settings;

    private final Clock clock;

    Subscriptions(DatabaseClient database, TransactionalOperator transaction, NotificationSettings settings,
        Clock clock) {
        this.database = database;
        this.transaction = transaction;
        this.settings = settings;
        this.clock = clock;
    }

    /** How a subscriber wants their mails. */
    enum Mode {
        IMMEDIATE, DIGEST;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A subscription as its links show it. */
    record Found(UUID id, String kind, String status, String articleSlug, String articleTitle, String mode) {
    }

    /**
     * Asks to follow the discussion of the article {@code articleId}. Whatever the address's state (new, pending
     * or confirmed), the answer is the same, so the request tells nobody who follows what; a pending one gets
     * another confirmation mail only once {@code confirmation-resend} has passed since the last.
     */
    Mono<Void> followDiscussion(String slug, String address, Mode mode, @Nullable String subject) {
        return database.sql("select id, comments_enabled, status from article where slug = :slug")
            .bind("slug", slug)
            .map((row, meta) -> {
                if ("withdrawn".equals(row.get("status", String.class))) {
                    throw DiscussionProblems.withdrawn(slug);
                }
                if (!Boolean.TRUE.equals(row.get("comments_enabled", Boolean.class))) {
                    throw DiscussionProblems.closed(slug);
                }
                return row.get("id", UUID.class);
            })
            .one()
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noArticle(slug)))
            .flatMap(articleId -> request("discussion", articleId, null, address, mode, subject))
            .as(transaction::transactional);
    }

    @Override
    public Mono<Void> follow(UUID articleId, UUID commentId, Request request, @Nullable String subject) {
        return request("replies", articleId, commentId, request.address(),
            request.digest() ? Mode.DIGEST : Mode.IMMEDIATE, subject);
    }

    private Mono<Void> request(String kind, UUID articleId, @Nullable UUID commentId, String address, Mode mode,
        @Nullable String subject) {
        OffsetDateTime now = now();
        String hash = EditTokens.addressHash(address);
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                insert into subscription (id, kind, article_id, comment_id, address, address_hash, subscriber_subject,
                                          mode, status, confirm_token, unsubscribe_token, created_at, lapses_at)
                values (:id, :kind, :article, :comment, :address, :hash, :subject, :mode, 'pending', :confirm,
                        :unsubscribe, :now, :lapses)
                on conflict do nothing""")
            .bind("id", UUID.randomUUID())
            .bind("kind", kind)
            .bind("article", articleId)
            .bind("address", address)
            .bind("hash", hash)
            .bind("mode", mode.column())
            .bind("confirm", token())
            .bind("unsubscribe", token())
            .bind("now", now)
            .bind("lapses", now.plus(settings.confirmationValidity()));
        insert = commentId == null ? insert.bindNull("comment", UUID.class) : insert.bind("comment", commentId);
        insert = subject == null ? insert.bindNull("subject", String.class) : insert.bind("subject", subject);
        // The live subscription of this address and target: the one just inserted, or the one already there.
        String live = "kind = :kind and address_hash = :hash and status <> 'unsubscribed' and "
            + (commentId == null ? "article_id = :target" : "comment_id = :target");
        return insert.then()
            .then(database.sql("""
                    update subscription set confirmation_sent_at = :now
                     where %s and status = 'pending'
                       and (confirmation_sent_at is null or confirmation_sent_at <= :resendBefore)
                 returning id""".formatted(live))
                .bind("kind", kind)
                .bind("hash", hash)
                .bind("target", commentId == null ? articleId : commentId)
                .bind("now", now)
                .bind("resendBefore", now.minus(settings.confirmationResend()))
                .map((row, meta) -> row.get("id", UUID.class))
                .one())
            .flatMap(id -> database.sql("""
                    insert into delivery (id, event_id, subscriber, kind, subscription_id, state, next_attempt_at,
                                          created_at)
                    values (:id, :event, :subscriber, 'confirmation', :subscription, 'pending', :now, :now)""")
                .bind("id", UUID.randomUUID())
                .bind("event", "confirm:" + id + ":" + now.toInstant().toEpochMilli())
                .bind("subscriber", "mail:" + hash)
                .bind("subscription", id)
                .bind("now", now)
                .then());
    }

    /** The subscription a confirmation token belongs to, while it is still to be confirmed. */
    Mono<Found> byConfirmToken(String token) {
        return find("s.confirm_token = :token and s.lapses_at > now()", token);
    }

    /** The subscription an unsubscribe token belongs to, whatever its state. */
    Mono<Found> byUnsubscribeToken(String token) {
        return find("s.unsubscribe_token = :token", token);
    }

    private Mono<Found> find(String condition, String token) {
        if (!TOKEN_SHAPE.matcher(token).matches()) {
            // Not one of ours (a mangled or forged link): nothing to look up, and nothing odd sent to the database.
            return Mono.empty();
        }
        return database.sql("""
                select s.id, s.kind, s.status, s.mode, a.slug, a.title
                  from subscription s join article a on a.id = s.article_id
                 where %s""".formatted(condition))
            .bind("token", token)
            .map((row, meta) -> new Found(row.get("id", UUID.class), row.get("kind", String.class),
                row.get("status", String.class), row.get("slug", String.class), row.get("title", String.class),
                row.get("mode", String.class)))
            .one();
    }

    /** Confirms the subscription of a confirmation token; the token is spent. Empty when it is not (any more) valid. */
    Mono<Found> confirm(String token) {
        return byConfirmToken(token)
            .flatMap(found -> database.sql("""
                    update subscription set status = 'confirmed', confirmed_at = :now, confirm_token = null,
                                            lapses_at = null
                     where id = :id and status = 'pending' and lapses_at > :now""")
                .bind("id", found.id())
                .bind("now", now())
                .fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .map(updated -> found));
    }

    /**
     * Ends the subscription of an unsubscribe token, and drops what it still owed. Leaving twice is fine; empty only
     * for a token that never existed.
     */
    Mono<Found> unsubscribe(String token) {
        return byUnsubscribeToken(token)
            .flatMap(found -> database.sql("""
                    update subscription set status = 'unsubscribed', unsubscribed_at = :now, confirm_token = null,
                                            address = '', lapses_at = :lapses
                     where id = :id and status <> 'unsubscribed'""")
                .bind("id", found.id())
                .bind("now", now())
                .bind("lapses", now().plus(settings.retention()))
                .then()
                .then(database.sql("""
                        update delivery set state = 'dropped', claimed_until = null, finished_at = :now
                         where subscription_id = :id and state in ('pending', 'held')""")
                    .bind("id", found.id())
                    .bind("now", now())
                    .then())
                .thenReturn(found))
            .as(transaction::transactional);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** What {@link #token()} draws: 256 bits in URL-safe Base64, without padding. */
    private static final java.util.regex.Pattern TOKEN_SHAPE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    /** 256 random bits, URL-safe: a link that cannot be guessed. */
    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
