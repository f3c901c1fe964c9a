package ma.majlis.content.articles;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.content.rendering.TocEntry;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads published articles. Pages are collected before they are returned (see STACK.md on pool leaks). */
@Repository
class ArticleQueries {

    private static final TypeReference<List<TocEntry>> TOC = new TypeReference<>() { };

    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() { };

    private final DatabaseClient database;

    private final JsonMapper json;

    ArticleQueries(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** The article at {@code slug} in any status; the caller decides what a reader may see. */
    Mono<ArticleView> bySlug(String slug) {
        return database.sql("""
                select id, slug, title, summary, series, day, tags, article_date, comments_enabled, status, version,
                       html, toc, metadata, published_at, updated_at
                  from article
                 where slug = :slug""")
            .bind("slug", slug)
            .map((row, meta) -> new ArticleView(
                row.get("id", UUID.class),
                row.get("slug", String.class),
                row.get("title", String.class),
                row.get("summary", String.class),
                row.get("series", String.class),
                row.get("day", Integer.class),
                List.of(row.get("tags", String[].class)),
                row.get("article_date", LocalDate.class),
                Boolean.TRUE.equals(row.get("comments_enabled", Boolean.class)),
                row.get("status", String.class),
                row.get("version", Integer.class),
                row.get("html", String.class),
                json.readValue(row.get("toc", Json.class).asString(), TOC),
                json.readValue(row.get("metadata", Json.class).asString(), METADATA),
                row.get("published_at", OffsetDateTime.class),
                row.get("updated_at", OffsetDateTime.class)))
            .one();
    }

    Mono<ArticlePage> newest(int limit) {
        return database.sql("""
                select id, slug, title, summary, comments_enabled, published_at
                  from article
                 where status = 'published'
                 order by published_at desc nulls last, id desc
                 limit :limit""")
            .bind("limit", limit)
            .map((row, meta) -> new ArticleSummary(
                row.get("id", UUID.class),
                row.get("slug", String.class),
                row.get("title", String.class),
                row.get("summary", String.class),
                Boolean.TRUE.equals(row.get("comments_enabled", Boolean.class)),
                row.get("published_at", OffsetDateTime.class)))
            .all()
            .collectList()
            .map(ArticlePage::new);
    }
}
