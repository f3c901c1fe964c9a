package ma.majlis.comments.discussion;

import java.time.OffsetDateTime;
import java.util.UUID;

import java.util.List;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.platform.web.Problems.FieldError;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes comments. Each change takes the next position in its article's stream (which locks the article's row until
 * the change commits, so positions commit in order), and writes its event to the article's stream table and to the
 * outbox in the same transaction as the change.
 */
@Component
public class CommentStore {

    static final String PUBLISHED = "published";

    static final String PENDING = "pending";

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final StreamWriter stream;

    private final JsonMapper json;

    private final CommentSettings settings;

    private final EditTokens tokens;

    private final CommentRenderer renderer;

    private final ReplyFollowing following;

    CommentStore(DatabaseClient database, TransactionalOperator transaction, StreamWriter stream,
        JsonMapper json, CommentSettings settings, EditTokens tokens, CommentRenderer renderer,
        ReplyFollowing following) {
        this.following = following;
        this.database = database;
        this.transaction = transaction;
        this.stream = stream;
        this.json = json;
        this.settings = settings;
        this.tokens = tokens;
        this.renderer = renderer;
    }

    /** What a posted comment became, with the token its author edits it with (handed out only here). */
    public record Posted(CommentView comment, @Nullable String editToken, OffsetDateTime editableUntil) {
    }

    /** The request's Idempotency-Key and a hash of what it asked for. */
    public record Idempotency(String key, String requestHash) {
    }

    private record Article(UUID id, String slug, boolean commentsEnabled, String status) {
    }

    /** The position a new comment takes in its article's stream, and when. */
    private record Taken(UUID articleId, String slug, long seq, OffsetDateTime at) {
    }

    private record Parent(UUID articleId, int depth, String status) {
    }

    /**
     * Posts a comment under the article at {@code slug}: four round trips to PostgreSQL (begin, {@link #take},
     * {@link #insert}, commit), and more for a reply's parent, an idempotency key or following replies.
     * @param idempotency stored with the answer in the same transaction, or null
     */
    public Mono<Posted> post(String slug, CommentInput input, @Nullable String subject,
        @Nullable Idempotency idempotency) {
        String status = settings.preModeration() ? PENDING : PUBLISHED;
        return take(slug, status)
            .switchIfEmpty(Mono.defer(() -> article(slug).then(take(slug, status))))
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.closed(slug)))
            .flatMap(taken -> parent(taken.articleId(), input.parentId())
                .flatMap(depth -> insert(taken, input, subject, depth, status, idempotency)))
            .as(transaction::transactional);
    }

    /**
     * Takes the article's next stream position and counts the comment on its article if it is published, in one
     * statement, which locks the article's row until the transaction ends. Empty when there is no such article or it
     * takes no comments; {@link #article} then says which.
     */
    private Mono<Taken> take(String slug, String status) {
        return database.sql("""
                update article set last_seq = last_seq + 1, published_count = published_count + :counted
                 where slug = :slug and status <> 'withdrawn' and comments_enabled
                returning id, slug, last_seq, now() as taken_at""")
            .bind("counted", status.equals(PUBLISHED) ? 1 : 0)
            .bind("slug", slug)
            .map((row, meta) -> new Taken(row.get("id", UUID.class), row.get("slug", String.class),
                row.get("last_seq", Long.class), row.get("taken_at", OffsetDateTime.class)))
            .one();
    }

    /** The article at {@code slug} if it takes comments; the problem that says why not otherwise. */
    private Mono<Article> article(String slug) {
        return database.sql("select id, slug, comments_enabled, status from article where slug = :slug")
            .bind("slug", slug)
            .map((row, meta) -> new Article(row.get("id", UUID.class), row.get("slug", String.class),
                Boolean.TRUE.equals(row.get("comments_enabled", Boolean.class)), row.get("status", String.class)))
            .one()
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noArticle(slug)))
            .flatMap(article -> {
                if (article.status().equals("withdrawn")) {
                    return Mono.error(DiscussionProblems.withdrawn(slug));
                }
                if (!article.commentsEnabled()) {
                    return Mono.error(DiscussionProblems.closed(slug));
                }
                return Mono.just(article);
            });
    }

    /** The depth of the new comment: 0 without a parent; the parent must be a published comment of the article. */
    private Mono<Integer> parent(UUID articleId, @Nullable UUID parentId) {
        if (parentId == null) {
            return Mono.just(0);
        }
        return database.sql("select article_id, depth, status from comment where id = :id")
            .bind("id", parentId)
            .map((row, meta) -> new Parent(row.get("article_id", UUID.class), row.get("depth", Integer.class),
                row.get("status", String.class)))
            .one()
            .filter(parent -> parent.articleId().equals(articleId) && parent.status().equals(PUBLISHED))
            .switchIfEmpty(Mono.error(() -> invalid("parentId", "must be a published comment of this discussion")))
            .flatMap(parent -> parent.depth() + 1 > settings.maxDepth()
                ? Mono.error(invalid("parentId", "is too deep to reply to: replies nest at most "
                    + settings.maxDepth() + " deep"))
                : Mono.just(parent.depth() + 1));
    }

    private static ErrorResponseException invalid(String field, String message) {
        return DiscussionProblems.invalid(List.of(new FieldError(field, message)));
    }

    /**
     * Inserts the comment, its event, its outbox entry and (for a published reply) its parent's new count of
     * replies in one statement. Its {@code created_at} is the transaction's start, the time {@link #take} returned.
     */
    private Mono<Posted> insert(Taken taken, CommentInput input, @Nullable String subject, int depth, String status,
        @Nullable Idempotency idempotency) {
        UUID id = UUID.randomUUID();
        String html = renderer.render(input.body());
        String token = tokens.token(id);
        UUID parentId = input.parentId();
        StreamWriter.Change comment = new StreamWriter.Change("""
                insert into comment (id, article_id, article_slug, parent_id, seq, depth, author_name, body_markdown,
                                     body_html, status, author_email_hash, edit_token_hash, author_subject)
                values (:id, :articleId, :slug, :parentId, :seq, :depth, :authorName, :markdown, :html, :status,
                        :emailHash, :tokenHash, :subject)""",
            statement -> {
                statement = statement.bind("id", id)
                    .bind("articleId", taken.articleId())
                    .bind("slug", taken.slug())
                    .bind("seq", taken.seq())
                    .bind("depth", depth)
                    .bind("authorName", input.authorName())
                    .bind("markdown", input.body())
                    .bind("html", html)
                    .bind("status", status)
                    .bind("tokenHash", EditTokens.hash(token));
                statement = parentId == null ? statement.bindNull("parentId", UUID.class)
                    : statement.bind("parentId", parentId);
                statement = input.emailHash() == null ? statement.bindNull("emailHash", String.class)
                    : statement.bind("emailHash", input.emailHash());
                return subject == null ? statement.bindNull("subject", String.class)
                    : statement.bind("subject", subject);
            });
        CommentEvent event = new CommentEvent(id, taken.articleId(), taken.slug(), parentId, taken.seq(), taken.seq(),
            depth, input.authorName(), html, status, taken.at(), null);
        CommentView view = new CommentView(id, taken.slug(), parentId, taken.seq(), depth, input.authorName(), html,
            status, taken.at(), null, 0, 0, null);
        Posted posted = new Posted(view, token, taken.at().plus(settings.editWindow()));
        Mono<Void> recorded = parentId != null && status.equals(PUBLISHED)
            ? stream.record(event, CommentEvent.CREATED, comment, StreamWriter.replyCounted(parentId))
            : stream.record(event, CommentEvent.CREATED, comment);
        return recorded
            .then(followReplies(taken.articleId(), id, input, subject))
            .then(remember(idempotency, posted))
            .thenReturn(posted);
    }

    private Mono<Void> followReplies(UUID articleId, UUID id, CommentInput input, @Nullable String subject) {
        ReplyFollowing.Request request = input.followReplies();
        return request == null ? Mono.empty() : following.follow(articleId, id, request, subject);
    }

    /** Stores the answer under the request's key, without the edit token: that is derived again on a repeat. */
    private Mono<Void> remember(@Nullable Idempotency idempotency, Posted posted) {
        if (idempotency == null) {
            return Mono.empty();
        }
        Posted stored = new Posted(posted.comment(), null, posted.editableUntil());
        return database.sql("""
                insert into idempotent_request (key, request_hash, status, response)
                values (:key, :hash, 201, :response)""")
            .bind("key", idempotency.key())
            .bind("hash", idempotency.requestHash())
            .bind("response", Json.of(json.writeValueAsString(stored)))
            .then();
    }
}
