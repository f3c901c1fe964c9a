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

    private record Parent(UUID articleId, int depth, String status) {
    }

    /**
     * Posts a comment under the article at {@code slug}.
     * @param idempotency stored with the answer in the same transaction, or null
     */
    public Mono<Posted> post(String slug, CommentInput input, @Nullable String subject,
        @Nullable Idempotency idempotency) {
        return article(slug)
            .flatMap(article -> parent(article, input.parentId())
                .flatMap(depth -> insert(article, input, subject, depth, idempotency)))
            .as(transaction::transactional);
    }

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
    private Mono<Integer> parent(Article article, @Nullable UUID parentId) {
        if (parentId == null) {
            return Mono.just(0);
        }
        return database.sql("select article_id, depth, status from comment where id = :id")
            .bind("id", parentId)
            .map((row, meta) -> new Parent(row.get("article_id", UUID.class), row.get("depth", Integer.class),
                row.get("status", String.class)))
            .one()
            .filter(parent -> parent.articleId().equals(article.id()) && parent.status().equals(PUBLISHED))
            .switchIfEmpty(Mono.error(() -> invalid("parentId", "must be a published comment of this discussion")))
            .flatMap(parent -> parent.depth() + 1 > settings.maxDepth()
                ? Mono.error(invalid("parentId", "is too deep to reply to: replies nest at most "
                    + settings.maxDepth() + " deep"))
                : Mono.just(parent.depth() + 1));
    }

    private static ErrorResponseException invalid(String field, String message) {
        return DiscussionProblems.invalid(List.of(new FieldError(field, message)));
    }

    private Mono<Posted> insert(Article article, CommentInput input, @Nullable String subject, int depth,
        @Nullable Idempotency idempotency) {
        UUID id = UUID.randomUUID();
        String status = settings.preModeration() ? PENDING : PUBLISHED;
        String html = renderer.render(input.body());
        String token = tokens.token(id);
        return stream.nextSeq(article.id())
            .flatMap(seq -> {
                DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        insert into comment (id, article_id, article_slug, parent_id, seq, depth, author_name,
                                             body_markdown, body_html, status, author_email_hash, edit_token_hash,
                                             author_subject)
                        values (:id, :articleId, :slug, :parentId, :seq, :depth, :authorName, :markdown, :html,
                                :status, :emailHash, :tokenHash, :subject)
                        returning created_at""")
                    .bind("id", id)
                    .bind("articleId", article.id())
                    .bind("slug", article.slug())
                    .bind("seq", seq)
                    .bind("depth", depth)
                    .bind("authorName", input.authorName())
                    .bind("markdown", input.body())
                    .bind("html", html)
                    .bind("status", status)
                    .bind("tokenHash", EditTokens.hash(token));
                insert = input.parentId() == null ? insert.bindNull("parentId", UUID.class)
                    : insert.bind("parentId", input.parentId());
                insert = input.emailHash() == null ? insert.bindNull("emailHash", String.class)
                    : insert.bind("emailHash", input.emailHash());
                insert = subject == null ? insert.bindNull("subject", String.class) : insert.bind("subject", subject);
                return insert.map((row, meta) -> row.get("created_at", OffsetDateTime.class)).one()
                    .flatMap(createdAt -> {
                        CommentEvent event = new CommentEvent(id, article.id(), article.slug(), input.parentId(), seq,
                            seq, depth, input.authorName(), html, status, createdAt, null);
                        CommentView view = new CommentView(id, article.slug(), input.parentId(), seq, depth,
                            input.authorName(), html, status, createdAt, null, 0, 0, null);
                        Posted posted = new Posted(view, token, createdAt.plus(settings.editWindow()));
                        return stream.statusChanged(article.id(), input.parentId(), PENDING, status)
                            .then(stream.record(event, CommentEvent.CREATED))
                            .then(followReplies(article, id, input, subject))
                            .then(remember(idempotency, posted))
                            .thenReturn(posted);
                    });
            });
    }

    private Mono<Void> followReplies(Article article, UUID id, CommentInput input, @Nullable String subject) {
        ReplyFollowing.Request request = input.followReplies();
        return request == null ? Mono.empty() : following.follow(article.id(), id, request, subject);
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
