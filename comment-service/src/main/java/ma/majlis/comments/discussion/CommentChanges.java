package ma.majlis.comments.discussion;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import ma.majlis.platform.web.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Changes to existing comments: edits and deletions by their author within the edit window, moderation at any
 * time, and votes. Each change that readers see takes the next position in its article's stream and is announced,
 * in the same transaction.
 */
@Component
class CommentChanges {

    static final String DELETED = "deleted";

    static final String HIDDEN = "hidden";

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final StreamWriter stream;

    private final CommentSettings settings;

    private final CommentRenderer renderer;

    private final Clock clock;

    CommentChanges(DatabaseClient database, TransactionalOperator transaction, StreamWriter stream,
        CommentSettings settings, CommentRenderer renderer, Clock clock) {
        this.database = database;
        this.transaction = transaction;
        this.stream = stream;
        this.settings = settings;
        this.renderer = renderer;
        this.clock = clock;
    }

    /**
     * Who asks for a change: the author of an anonymous comment, proving it with the edit token; a signed-in reader,
     * proving it with their token's subject; or a moderator.
     */
    sealed interface Actor permits Author, Owner, Moderator {
    }

    record Author(String editToken) implements Actor {
    }

    record Owner(String subject) implements Actor {
    }

    record Moderator() implements Actor {
    }

    private record Existing(UUID id, UUID articleId, String articleSlug, @Nullable UUID parentId, long seq, int depth,
        String authorName, String bodyHtml, String status, OffsetDateTime createdAt, @Nullable OffsetDateTime editedAt,
        @Nullable String tokenHash, @Nullable String subject) {

        CommentEvent event(long eventSeq, String newStatus, @Nullable String html, @Nullable OffsetDateTime edited) {
            boolean shown = !newStatus.equals(DELETED) && !newStatus.equals(HIDDEN);
            return new CommentEvent(id, articleId, articleSlug, parentId, eventSeq, seq, depth,
                shown ? authorName : null, shown ? html : null, newStatus, createdAt, edited);
        }
    }

    /** Replaces the comment's body; the author within the window, or a moderator. */
    Mono<CommentEvent> edit(UUID id, Actor actor, String markdown) {
        return existing(id)
            .flatMap(comment -> allowed(comment, actor).thenReturn(comment))
            .flatMap(comment -> {
                String html = renderer.render(markdown);
                return stream.nextSeq(comment.articleId()).flatMap(seq -> database.sql("""
                        update comment set body_markdown = :markdown, body_html = :html, edited_at = now()
                         where id = :id returning edited_at""")
                    .bind("markdown", markdown)
                    .bind("html", html)
                    .bind("id", id)
                    .map((row, meta) -> row.get("edited_at", OffsetDateTime.class))
                    .one()
                    .flatMap(edited -> {
                        CommentEvent event = comment.event(seq, comment.status(), html, edited);
                        return stream.record(event, CommentEvent.EDITED).thenReturn(event);
                    }));
            })
            .as(transaction::transactional);
    }

    /**
     * Deletes the comment: its words and its author's name are erased; if it has replies, it keeps its place in
     * the thread as deleted. The author within the window, or a moderator at any time.
     */
    Mono<CommentEvent> delete(UUID id, Actor actor) {
        return existing(id)
            .flatMap(comment -> allowed(comment, actor).thenReturn(comment))
            .flatMap(comment -> stream.nextSeq(comment.articleId()).flatMap(seq -> database.sql("""
                    update comment set status = 'deleted', body_markdown = '', body_html = '', author_name = '',
                                       author_email_hash = null, edited_at = now()
                     where id = :id returning edited_at""")
                .bind("id", id)
                .map((row, meta) -> row.get("edited_at", OffsetDateTime.class))
                .one()
                .flatMap(edited -> {
                    CommentEvent event = comment.event(seq, DELETED, null, edited);
                    String type = actor instanceof Moderator ? CommentEvent.MODERATED : CommentEvent.DELETED;
                    return stream.statusChanged(comment.articleId(), comment.parentId(), comment.status(), DELETED)
                        .then(stream.record(event, type))
                        .thenReturn(event);
                })))
            .as(transaction::transactional);
    }

    /** A moderator approves ({@code published}) or hides ({@code hidden}) the comment. */
    Mono<CommentEvent> moderate(UUID id, String status) {
        return existing(id)
            .flatMap(comment -> {
                if (comment.status().equals(status)) {
                    return Mono.just(comment.event(comment.seq(), status, comment.bodyHtml(), comment.editedAt()));
                }
                return stream.nextSeq(comment.articleId()).flatMap(seq -> database.sql(
                        "update comment set status = :status where id = :id")
                    .bind("status", status)
                    .bind("id", id)
                    .then()
                    .then(Mono.defer(() -> {
                        CommentEvent event = comment.event(seq, status, comment.bodyHtml(), comment.editedAt());
                        return stream.statusChanged(comment.articleId(), comment.parentId(), comment.status(), status)
                            .then(stream.record(event, CommentEvent.MODERATED))
                            .thenReturn(event);
                    })));
            })
            .as(transaction::transactional);
    }

    /**
     * Records one voter's vote on a published comment, replacing any earlier vote of theirs; 0 takes it back.
     * @return the comment's score after the vote
     */
    Mono<Integer> vote(UUID id, String voter, int value) {
        return existing(id)
            .filter(comment -> comment.status().equals(CommentStore.PUBLISHED))
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noComment(id.toString())))
            .flatMap(comment -> database.sql("select value from vote where comment_id = :id and voter = :voter")
                .bind("id", id)
                .bind("voter", voter)
                .map((row, meta) -> row.get("value", Short.class).intValue())
                .one()
                .defaultIfEmpty(0)
                .flatMap(before -> {
                    Mono<Void> store = value == 0
                        ? database.sql("delete from vote where comment_id = :id and voter = :voter")
                            .bind("id", id).bind("voter", voter).then()
                        : database.sql("""
                            insert into vote (comment_id, voter, value) values (:id, :voter, :value)
                            on conflict (comment_id, voter) do update set value = excluded.value, voted_at = now()""")
                            .bind("id", id).bind("voter", voter).bind("value", (short) value).then();
                    // Pages read before the vote show the score it changes: they are out of date (PageCache).
                    Mono<Void> counted = value == before ? Mono.empty() : database.sql("""
                            insert into discussion_votes (article_id, votes) values (:articleId, 1)
                            on conflict (article_id) do update set votes = discussion_votes.votes + 1""")
                        .bind("articleId", comment.articleId())
                        .then();
                    return store.then(counted).then(database.sql("update comment set score = score + :delta"
                            + " where id = :id returning score")
                        .bind("delta", value - before)
                        .bind("id", id)
                        .map((row, meta) -> row.get("score", Integer.class))
                        .one());
                }))
            .as(transaction::transactional);
    }

    /** The comment, locked for the change; 404 when there is none, 410 when it was deleted. */
    private Mono<Existing> existing(UUID id) {
        return database.sql("""
                select c.id, c.article_id, c.article_slug, c.parent_id, c.seq, c.depth, c.author_name, c.body_html,
                       c.status, c.created_at, c.edited_at, c.edit_token_hash, c.author_subject
                  from comment c
                 where c.id = :id
                   for update""")
            .bind("id", id)
            .map((row, meta) -> new Existing(row.get("id", UUID.class), row.get("article_id", UUID.class),
                row.get("article_slug", String.class), row.get("parent_id", UUID.class), row.get("seq", Long.class),
                row.get("depth", Integer.class), row.get("author_name", String.class),
                row.get("body_html", String.class), row.get("status", String.class),
                row.get("created_at", OffsetDateTime.class), row.get("edited_at", OffsetDateTime.class),
                row.get("edit_token_hash", String.class), row.get("author_subject", String.class)))
            .one()
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noComment(id.toString())))
            .flatMap(comment -> comment.status().equals(DELETED)
                ? Mono.error(Problems.problem(HttpStatus.GONE, "comment-deleted", "Comment deleted",
                    "The comment " + id + " has been deleted."))
                : Mono.just(comment));
    }

    private Mono<Void> allowed(Existing comment, Actor actor) {
        if (actor instanceof Moderator) {
            return Mono.empty();
        }
        // Java 17: no pattern matching in switch yet.
        boolean theirs;
        if (actor instanceof Author author) {
            theirs = comment.tokenHash() != null && EditTokens.matches(author.editToken(), comment.tokenHash());
        }
        else {
            theirs = actor instanceof Owner owner && owner.subject().equals(comment.subject());
        }
        if (!theirs) {
            return Mono.error(Problems.problem(HttpStatus.FORBIDDEN, "not-your-comment", "Not your comment",
                "This comment is not yours to change. Only its author (with the edit token given when it was posted,"
                    + " or signed in as when they posted it) or a moderator can change it."));
        }
        OffsetDateTime closes = comment.createdAt().plus(settings.editWindow());
        if (OffsetDateTime.now(clock).isAfter(closes)) {
            ErrorResponseException closed = Problems.problem(HttpStatus.FORBIDDEN, "edit-window-closed",
                "The edit window has closed", "A comment can be changed by its author until " + closes
                    + " (" + settings.editWindow().toMinutes() + " minutes after it was posted). Ask a moderator.");
            return Mono.error(closed);
        }
        return Mono.empty();
    }

    static List<String> moderationStatuses() {
        return List.of(CommentStore.PUBLISHED, HIDDEN);
    }
}
