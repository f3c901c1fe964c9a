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
import ma.majlis.platform.outbox.OutboxWriter;
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

    static final String DRAFT = "draft";

    static final String PUBLISHED = "published";

    static final String WITHDRAWN = "withdrawn";

    /** The search vector of a written row: title weighs most, then summary and tags, then the body. */
    private static final String SEARCH = """
        setweight(to_tsvector('english', :title), 'A')
        || setweight(to_tsvector('english', coalesce(:summary, '')), 'B')
        || setweight(to_tsvector('english', array_to_string(cast(:tags as text[]), ' ')), 'B')
        || setweight(to_tsvector('english', :bodyText), 'D')""";

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
            .flatMap(existing -> existing.status().equals(WITHDRAWN)
                // Withdrawn by an editor: the file still in the folder does not bring it back; a PUT does.
                ? Mono.just(existing.saved(Outcome.UNCHANGED))
                : update(existing, page, rendered, hash))
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

    /**
     * Replaces the article at {@code slug} with {@code page}, which becomes its next version; a withdrawn article
     * is published again. An unchanged page changes nothing.
     * @param expectedVersion the version the editor changed (from {@code If-Match}), or null for any
     * @throws NoSuchArticle (as the Mono's error) when no article lives at the slug
     * @throws VersionMismatch (as the Mono's error) when the article is no longer at the expected version
     */
    public Mono<Saved> replace(String slug, @Nullable Integer expectedVersion, ImportedPage page,
        RenderedArticle rendered, String source) {
        return current(slug)
            .switchIfEmpty(Mono.error(() -> new NoSuchArticle(slug)))
            .flatMap(existing -> expect(existing, expectedVersion))
            .flatMap(existing -> update(existing, page, rendered, sha256(source)))
            .as(transaction::transactional);
    }

    /**
     * Withdraws the article at {@code slug}: readers get 410 and subscribers hear that it is withdrawn. Withdrawing a
     * withdrawn article changes nothing.
     * @param expectedVersion the version the editor saw (from {@code If-Match}), or null for any
     */
    public Mono<Saved> withdraw(String slug, @Nullable Integer expectedVersion) {
        return current(slug)
            .switchIfEmpty(Mono.error(() -> new NoSuchArticle(slug)))
            .flatMap(existing -> expect(existing, expectedVersion))
            .flatMap(existing -> {
                if (existing.status().equals(WITHDRAWN)) {
                    return Mono.just(existing.saved(Outcome.UNCHANGED));
                }
                int version = existing.version() + 1;
                Mono<Void> announce = existing.status().equals(PUBLISHED)
                    ? announce(ArticleEvent.WITHDRAWN, new ArticleEvent(existing.id(), slug, existing.title(),
                        existing.summary(), existing.commentsEnabled(), WITHDRAWN, existing.publishedAt(), version))
                    : Mono.empty();
                return database.sql("""
                        update article set status = 'withdrawn', version = :version, updated_at = now()
                         where id = :id""")
                    .bind("version", version)
                    .bind("id", existing.id())
                    .then()
                    .then(announce)
                    .thenReturn(new Saved(existing.id(), slug, version, WITHDRAWN, Outcome.UPDATED));
            })
            .as(transaction::transactional);
    }

    private static Mono<Existing> expect(Existing existing, @Nullable Integer expectedVersion) {
        return expectedVersion == null || expectedVersion == existing.version() ? Mono.just(existing)
            : Mono.error(new VersionMismatch(existing.slug(), existing.version()));
    }

    private Mono<Existing> current(String slug) {
        return database.sql("""
                select id, slug, title, summary, comments_enabled, version, status, content_hash, published_at
                  from article
                 where slug = :slug
                   for update""")
            .bind("slug", slug)
            .map((row, meta) -> new Existing(row.get("id", UUID.class), row.get("slug", String.class),
                row.get("title", String.class), row.get("summary", String.class),
                Boolean.TRUE.equals(row.get("comments_enabled", Boolean.class)), row.get("version", Integer.class),
                row.get("status", String.class), row.get("content_hash", String.class),
                row.get("published_at", OffsetDateTime.class)))
            .one();
    }

    private Mono<Saved> insert(ImportedPage page, RenderedArticle rendered, String hash) {
        UUID id = UUID.randomUUID();
        String status = page.draft() ? DRAFT : PUBLISHED;
        OffsetDateTime publishedAt = page.draft() ? null : publicationTime(page);
        return write("""
                insert into article (id, slug, title, summary, status, comments_enabled, published_at, series, day,
                                     tags, article_date, metadata, markdown, html, toc, version, content_hash,
                                     body_text, search)
                values (:id, :slug, :title, :summary, :status, :commentsEnabled, :publishedAt, :series, :day,
                        :tags, :articleDate, :metadata, :markdown, :html, :toc, :version, :hash,
                        :bodyText, """ + SEARCH + ")",
                id, page, rendered, hash, status, publishedAt, 1)
            .then(announce(page.draft() ? null : ArticleEvent.PUBLISHED,
                event(id, page, status, publishedAt, 1)))
            .thenReturn(new Saved(id, page.slug(), 1, status, Outcome.CREATED));
    }

    private Mono<Saved> update(Existing existing, ImportedPage page, RenderedArticle rendered, String hash) {
        String status = page.draft() ? DRAFT : PUBLISHED;
        if (existing.hash().equals(hash) && existing.status().equals(status)) {
            return Mono.just(existing.saved(Outcome.UNCHANGED));
        }
        int version = existing.version() + 1;
        OffsetDateTime publishedAt = page.draft() ? null
            : existing.publishedAt() != null ? existing.publishedAt() : publicationTime(page);
        String type = page.draft()
            ? (existing.status().equals(PUBLISHED) ? ArticleEvent.WITHDRAWN : null)
            : (existing.status().equals(PUBLISHED) ? ArticleEvent.UPDATED : ArticleEvent.PUBLISHED);
        return write("""
                update article
                   set slug = :slug, title = :title, summary = :summary, status = :status, comments_enabled = :commentsEnabled,
                       published_at = :publishedAt, series = :series, day = :day, tags = :tags,
                       article_date = :articleDate, metadata = :metadata, markdown = :markdown, html = :html,
                       toc = :toc, version = :version, content_hash = :hash, body_text = :bodyText,
                       search = """ + SEARCH + """
                     , updated_at = now()
                 where id = :id""", existing.id(), page, rendered, hash, status, publishedAt, version)
            .then(announce(type, event(existing.id(), page, status, publishedAt, version)))
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
            .bind("bodyText", rendered.text())
            .bind("slug", page.slug())
            .bind("version", version);
        spec = bindNullable(spec, "summary", page.description(), String.class);
        spec = bindNullable(spec, "publishedAt", publishedAt, OffsetDateTime.class);
        spec = bindNullable(spec, "series", page.series(), String.class);
        spec = bindNullable(spec, "day", page.day(), Integer.class);
        spec = bindNullable(spec, "articleDate", page.date(), java.time.LocalDate.class);
        return spec.then();
    }

    private static ArticleEvent event(UUID id, ImportedPage page, String status, @Nullable OffsetDateTime publishedAt,
        int version) {
        // A page turned back into a draft is, for readers and subscribers, withdrawn.
        return new ArticleEvent(id, page.slug(), page.title(), page.description(), page.commentsEnabled(),
            status.equals(DRAFT) ? WITHDRAWN : status, publishedAt, version);
    }

    private Mono<Void> announce(@Nullable String type, ArticleEvent event) {
        if (type == null) {
            return Mono.empty();
        }
        return outbox.append(ArticleEvent.AGGREGATE_TYPE, event.id().toString(), type, event.slug(), event).then();
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

    private record Existing(UUID id, String slug, String title, @Nullable String summary, boolean commentsEnabled,
        int version, String status, String hash, @Nullable OffsetDateTime publishedAt) {

        Saved saved(Outcome outcome) {
            return new Saved(id, slug, version, status, outcome);
        }
    }

    /** No article lives at the slug. */
    public static final class NoSuchArticle extends RuntimeException {

        NoSuchArticle(String slug) {
            super("No article lives at '" + slug + "'.");
        }
    }

    /** The article changed since the editor read it. */
    public static final class VersionMismatch extends RuntimeException {

        private final int current;

        VersionMismatch(String slug, int current) {
            super("The article '" + slug + "' is at version " + current + ".");
            this.current = current;
        }

        public int current() {
            return current;
        }
    }
}
