package ma.majlis.comments.discussion;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads discussions in pages: top-level comments by keyset in the order asked for, each with its first replies, and
 * replies per thread. Every read is bounded by its page size, so a discussion of 10,000 comments answers like one of
 * 10. Pages are collected before they are returned, so a client that goes away never leaves a connection busy.
 */
@Component
public class CommentQueries {

    /** What readers see: published comments, and deleted or hidden ones that keep their replies' place. */
    private static final String VISIBLE = "(c.status = 'published' or (c.status in ('deleted', 'hidden') and"
        + " c.reply_count > 0))";

    private static final String COLUMNS = "c.id, c.article_slug, c.parent_id, c.seq, c.depth, c.author_name,"
        + " c.body_html, c.status, c.created_at, c.edited_at, c.reply_count, c.score";

    private final DatabaseClient database;

    private final CommentSettings settings;

    private final PageCache pages;

    CommentQueries(DatabaseClient database, CommentSettings settings, PageCache pages) {
        this.database = database;
        this.settings = settings;
        this.pages = pages;
    }

    /**
     * An article as a reader of its discussion needs it: {@code lastSeq} is its stream's last position, {@code votes}
     * how many votes its comments were given or changed (which pages show, {@link PageCache}).
     */
    public record ArticleRef(UUID id, String slug, String status, long lastSeq, long votes) {
    }

    /** The article at {@code slug}; a 404 problem when unknown, 410 when withdrawn. */
    public Mono<ArticleRef> article(String slug) {
        return database.sql("select a.id, a.slug, a.status, a.last_seq, coalesce(v.votes, 0) as votes from article a"
                + " left join discussion_votes v on v.article_id = a.id where a.slug = :slug")
            .bind("slug", slug)
            .map((row, meta) -> new ArticleRef(row.get("id", UUID.class), row.get("slug", String.class),
                row.get("status", String.class), row.get("last_seq", Long.class), row.get("votes", Long.class)))
            .one()
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noArticle(slug)))
            .flatMap(article -> article.status().equals("withdrawn") ? Mono.error(DiscussionProblems.withdrawn(slug))
                : Mono.just(article));
    }

    /** One page of the discussion at {@code slug}. */
    Mono<CommentPage> page(String slug, CommentCursor.Sort sort, @Nullable CommentCursor cursor, int limit) {
        // The stream position is read before the page: whatever commits in between is in the page and streamed
        // again (the client keeps the one it has), never missing from both.
        return article(slug).flatMap(article -> pages.page(
            new PageCache.Key(article.id(), article.slug(), sort, cursor, limit),
            new PageCache.Version(article.lastSeq(), article.votes()),
            () -> read(article, sort, cursor, limit)));
    }

    private Mono<CommentPage> read(ArticleRef article, CommentCursor.Sort sort, @Nullable CommentCursor cursor,
        int limit) {
        return roots(article.id(), sort, cursor, limit + 1)
            .flatMap(roots -> {
                boolean more = roots.size() > limit;
                List<CommentView> page = more ? roots.subList(0, limit) : roots;
                String next = null;
                if (more) {
                    CommentView last = page.get(page.size() - 1);
                    next = new CommentCursor(sort, last.score(), last.seq()).encode();
                }
                String nextCursor = next;
                return withReplies(page).map(items -> new CommentPage(items, nextCursor, article.lastSeq()));
            });
    }

    private Mono<List<CommentView>> roots(UUID articleId, CommentCursor.Sort sort, @Nullable CommentCursor cursor,
        int rows) {
        String after = switch (sort) {
            case OLDEST -> cursor == null ? "" : " and c.seq > :seq";
            case NEWEST -> cursor == null ? "" : " and c.seq < :seq";
            case TOP -> cursor == null ? "" : " and (c.score < :score or (c.score = :score and c.seq > :seq))";
        };
        String order = switch (sort) {
            case OLDEST -> "c.seq";
            case NEWEST -> "c.seq desc";
            case TOP -> "c.score desc, c.seq";
        };
        DatabaseClient.GenericExecuteSpec spec = database.sql("select " + COLUMNS + " from comment c"
                + " where c.article_id = :articleId and c.parent_id is null and " + VISIBLE + after
                + " order by " + order + " limit :rows")
            .bind("articleId", articleId)
            .bind("rows", rows);
        if (cursor != null) {
            spec = spec.bind("seq", cursor.seq());
            if (sort == CommentCursor.Sort.TOP) {
                spec = spec.bind("score", cursor.score());
            }
        }
        return spec.map((row, meta) -> view(row)).all().collectList();
    }

    /** Each comment with its first replies, read for the whole page at once. */
    private Mono<List<CommentView>> withReplies(List<CommentView> comments) {
        List<UUID> withReplies = comments.stream().filter(comment -> comment.replyCount() > 0)
            .map(CommentView::id).toList();
        if (withReplies.isEmpty() || settings.replyPreview() == 0) {
            return Mono.just(comments.stream().map(comment -> comment.withReplies(List.of())).toList());
        }
        return database.sql("select " + COLUMNS + " from unnest(cast(:ids as uuid[])) as p(id)"
                + " cross join lateral (select * from comment c where c.parent_id = p.id and " + VISIBLE
                + " order by c.seq limit :preview) c")
            .bind("ids", withReplies.toArray(UUID[]::new))
            .bind("preview", settings.replyPreview())
            .map((row, meta) -> view(row))
            .all()
            .collectList()
            .map(replies -> {
                Map<UUID, List<CommentView>> byParent = new LinkedHashMap<>();
                for (CommentView reply : replies) {
                    byParent.computeIfAbsent(reply.parentId(), key -> new ArrayList<>()).add(reply.withReplies(List.of()));
                }
                return comments.stream()
                    .map(comment -> comment.withReplies(byParent.getOrDefault(comment.id(), List.of())))
                    .toList();
            });
    }

    /** One comment as readers see it; 404 when there is none or it waits for a moderator. */
    Mono<CommentView> one(UUID id) {
        return database.sql("select " + COLUMNS + " from comment c join article a on a.id = c.article_id"
                + " where c.id = :id and a.status = 'published' and c.status <> 'pending'")
            .bind("id", id)
            .map((row, meta) -> view(row))
            .one()
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noComment(id.toString())));
    }

    /** The replies to comment {@code id}, oldest first, after {@code cursor}. */
    Mono<CommentPage> replies(UUID id, @Nullable CommentCursor cursor, int limit) {
        return database.sql("select a.last_seq from comment c join article a on a.id = c.article_id"
                + " where c.id = :id and a.status = 'published'")
            .bind("id", id)
            .map((row, meta) -> row.get("last_seq", Long.class))
            .one()
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.noComment(id.toString())))
            .flatMap(lastSeq -> {
                DatabaseClient.GenericExecuteSpec spec = database.sql("select " + COLUMNS + " from comment c"
                        + " where c.parent_id = :id and " + VISIBLE + (cursor == null ? "" : " and c.seq > :seq")
                        + " order by c.seq limit :rows")
                    .bind("id", id)
                    .bind("rows", limit + 1);
                if (cursor != null) {
                    spec = spec.bind("seq", cursor.seq());
                }
                return spec.map((row, meta) -> view(row)).all().collectList()
                    .flatMap(rows -> {
                        boolean more = rows.size() > limit;
                        List<CommentView> page = more ? rows.subList(0, limit) : rows;
                        String next = more ? new CommentCursor(CommentCursor.Sort.OLDEST, 0,
                            page.get(page.size() - 1).seq()).encode() : null;
                        return withReplies(page).map(items -> new CommentPage(items, next, lastSeq));
                    });
            });
    }

    private static CommentView view(Readable row) {
        String status = row.get("status", String.class);
        boolean shown = CommentStore.PUBLISHED.equals(status);
        return new CommentView(
            row.get("id", UUID.class),
            row.get("article_slug", String.class),
            row.get("parent_id", UUID.class),
            row.get("seq", Long.class),
            row.get("depth", Integer.class),
            shown ? row.get("author_name", String.class) : null,
            shown ? row.get("body_html", String.class) : null,
            status,
            row.get("created_at", OffsetDateTime.class),
            row.get("edited_at", OffsetDateTime.class),
            row.get("reply_count", Integer.class),
            row.get("score", Integer.class),
            null);
    }
}
