package ma.majlis.content.articles;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.content.importing.ImportedPage;
import ma.majlis.content.outbox.OutboxWriter;
import ma.majlis.content.rendering.RenderedArticle;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores imported articles and announces each change through the outbox, in one transaction. Importing the
 * same page twice changes nothing and announces nothing; a changed page becomes the next version.
 */
@Component
public class ArticleStore {

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final OutboxWriter outbox;

    private final JsonMapper json;

    public ArticleStore(DatabaseClient database, TransactionalOperator transaction, OutboxWriter outbox,
        JsonMapper json) {
        this.database = database;
        this.transaction = transaction;
        this.outbox = outbox;
        this.json = json;
    }

    /** What an import did. */
    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    /** The stored article's id, version and what the import did to it. */
    public record Saved(UUID id, String slug, int version, String status, Outcome outcome) {
    }

    /**
     * Creates or updates the article at the page's slug.
     * @param source the page exactly as imported: its hash tells an unchanged page from a changed one
     */
    public Mono<Saved> importPage(ImportedPage page, RenderedArticle rendered, String source) {
        String hash = sha256(source);
        return current(page.slug())
            .flatMap(existing -> update(existing, page, rendered, hash))
            .switchIfEmpty(Mono.defer(() -> insert(page, rendered, hash)))
            .as(transaction::transactional);
    }

    /**
     * Stores the page as a new article; fails with {@link DuplicateKeyException} when its slug is taken, even by
     * a page stored a moment ago by a concurrent request.
     */
    public Mono<Saved> create(ImportedPage page, RenderedArticle rendered, String source) {
        return insert(page, rendered, sha256(source)).as(transaction::transactional);
    }

    private Mono<Existing> current(String slug) {
        return database.sql("select id, version, status, content_hash, published_at from article where slug = :slug"
                + " for update")
            .bind("slug", slug)
            .map((row, meta) -> new Existing(row.get("id", UUID.class), row.get("version", Integer.class),
                row.get("status", String.class), row.get("content_hash", String.class),
                row.get("published_at", OffsetDateTime.class)))
            .one();
    }

    private Mono<Saved> insert(ImportedPage page, RenderedArticle rendered, String hash) {
        UUID id = UUID.randomUUID();
        String status = page.draft() ? "draft" : "published";
        OffsetDateTime publishedAt = page.draft() ? null : publicationTime(page);
        return write("""
                insert into article (id, slug, title, summary, status, comments_enabled, published_at, series, day,
                                     tags, article_date, metadata, markdown, html, toc, version, content_hash)
                values (:id, :slug, :title, :summary, :status, :commentsEnabled, :publishedAt, :series, :day,
                        :tags, :articleDate, :metadata, :markdown, :html, :toc, :version, :hash)""",
                id, page, rendered, hash, status, publishedAt, 1)
            .then(announce(id, page, status, publishedAt, 1, page.draft() ? null : ArticleEvent.PUBLISHED))
            .thenReturn(new Saved(id, page.slug(), 1, status, Outcome.CREATED));
    }

    private Mono<Saved> update(Existing existing, ImportedPage page, RenderedArticle rendered, String hash) {
        String status = page.draft() ? "draft" : "published";
        if (existing.hash().equals(hash) && existing.status().equals(status)) {
            return Mono.just(new Saved(existing.id(), page.slug(), existing.version(), status, Outcome.UNCHANGED));
        }
        int version = existing.version() + 1;
        OffsetDateTime publishedAt = page.draft() ? null
            : existing.publishedAt() != null ? existing.publishedAt() : publicationTime(page);
        String type = page.draft()
            ? (existing.status().equals("published") ? ArticleEvent.WITHDRAWN : null)
            : (existing.status().equals("published") ? ArticleEvent.UPDATED : ArticleEvent.PUBLISHED);
        return write("""
                update article
                   set slug = :slug, title = :title, summary = :summary, status = :status, comments_enabled = :commentsEnabled,
                       published_at = :publishedAt, series = :series, day = :day, tags = :tags,
                       article_date = :articleDate, metadata = :metadata, markdown = :markdown, html = :html,
                       toc = :toc, version = :version, content_hash = :hash, updated_at = now()
                 where id = :id""", existing.id(), page, rendered, hash, status, publishedAt, version)
            .then(announce(existing.id(), page, status, publishedAt, version, type))
            .thenReturn(new Saved(existing.id(), page.slug(), version, status, Outcome.UPDATED));
    }

    private Mono<Void> write(String sql, UUID id, ImportedPage page, RenderedArticle rendered, String hash,
        String status, @Nullable OffsetDateTime publishedAt, int version) {
        DatabaseClient.GenericExecuteSpec spec = database.sql(sql)
            .bind("id", id)
            .bind("title", page.title())
            .bind("status", status)
            .bind("commentsEnabled", page.commentsEnabled())
            .bind("tags", page.tags().toArray(String[]::new))
            .bind("metadata", Json.of(json.writeValueAsString(page.metadata())))
            .bind("markdown", page.markdown())
            .bind("html", rendered.html())
            .bind("toc", Json.of(json.writeValueAsString(rendered.tableOfContents())))
            .bind("hash", hash)
            .bind("slug", page.slug())
            .bind("version", version);
        spec = bindNullable(spec, "summary", page.description(), String.class);
        spec = bindNullable(spec, "publishedAt", publishedAt, OffsetDateTime.class);
        spec = bindNullable(spec, "series", page.series(), String.class);
        spec = bindNullable(spec, "day", page.day(), Integer.class);
        spec = bindNullable(spec, "articleDate", page.date(), java.time.LocalDate.class);
        return spec.then();
    }

    private Mono<Void> announce(UUID id, ImportedPage page, String status, @Nullable OffsetDateTime publishedAt,
        int version, @Nullable String type) {
        if (type == null) {
            return Mono.empty();
        }
        ArticleEvent event = new ArticleEvent(id, page.slug(), page.title(), page.description(),
            page.commentsEnabled(), type.equals(ArticleEvent.WITHDRAWN) ? "withdrawn" : status, publishedAt, version);
        return outbox.append(ArticleEvent.AGGREGATE_TYPE, id.toString(), type, page.slug(), event).then();
    }

    private static <T> DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec,
        String name, @Nullable T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    /** The front matter's date when it has one (its start, UTC), else now. */
    private static OffsetDateTime publicationTime(ImportedPage page) {
        return page.date() != null ? page.date().atStartOfDay().atOffset(ZoneOffset.UTC)
            : OffsetDateTime.now(ZoneOffset.UTC);
    }

    static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(source.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every JVM has SHA-256", ex);
        }
    }

    private record Existing(UUID id, int version, String status, String hash, @Nullable OffsetDateTime publishedAt) {
    }
}
