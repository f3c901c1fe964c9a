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
import org.jspecify.annotations.Nullable;
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
                select id, slug, title, summary, series, day, tags, article_date, comments_enabled, comment_count,
                       status, version,
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
                row.get("comment_count", Integer.class),
                row.get("status", String.class),
                row.get("version", Integer.class),
                row.get("html", String.class),
                json.readValue(row.get("toc", Json.class).asString(), TOC),
                json.readValue(row.get("metadata", Json.class).asString(), METADATA),
                row.get("published_at", OffsetDateTime.class),
                row.get("updated_at", OffsetDateTime.class)))
            .one();
    }

    /**
     * One page of published articles matching {@code filter}, after {@code cursor} when one is given. Reads one row
     * more than the page to know whether another page follows.
     */
    Mono<ArticlePage> list(ArticleFilter filter, @Nullable ArticleCursor cursor, int limit) {
        boolean searching = filter.searching();
        StringBuilder sql = new StringBuilder("""
            select id, slug, title, summary, series, day, tags, comments_enabled, comment_count, published_at""");
        if (searching) {
            sql.append("""
                , ts_rank(search, query) as rank, ts_headline('english', body_text, query, :headline) as snippet
                  from article, websearch_to_tsquery('english', :query) as query
                 where status = 'published' and search @@ query""");
        }
        else {
            sql.append(" from article where status = 'published'");
        }
        if (filter.series() != null) {
            sql.append(" and series = :series");
        }
        if (!filter.tags().isEmpty()) {
            sql.append(" and tags @> :tags");
        }
        if (cursor != null) {
            sql.append(searching ? " and (ts_rank(search, query), id) < (:rank, :id)"
                : " and (published_at, id) < (:publishedAt, :id)");
        }
        sql.append(searching ? " order by rank desc, id desc" : " order by published_at desc, id desc");
        sql.append(" limit :rows");

        DatabaseClient.GenericExecuteSpec spec = database.sql(sql.toString()).bind("rows", limit + 1);
        if (searching) {
            spec = spec.bind("query", filter.query()).bind("headline", Snippets.HEADLINE_OPTIONS);
        }
        if (filter.series() != null) {
            spec = spec.bind("series", filter.series());
        }
        if (!filter.tags().isEmpty()) {
            spec = spec.bind("tags", filter.tags().toArray(String[]::new));
        }
        if (cursor != null) {
            spec = searching ? spec.bind("rank", cursor.rank()) : spec.bind("publishedAt", cursor.publishedAt());
            spec = spec.bind("id", cursor.id());
        }
        return spec.map((row, meta) -> new Listed(new ArticleSummary(
                row.get("id", UUID.class),
                row.get("slug", String.class),
                row.get("title", String.class),
                row.get("summary", String.class),
                row.get("series", String.class),
                row.get("day", Integer.class),
                List.of(row.get("tags", String[].class)),
                Boolean.TRUE.equals(row.get("comments_enabled", Boolean.class)),
                row.get("comment_count", Integer.class),
                row.get("published_at", OffsetDateTime.class),
                searching ? Snippets.toHtml(row.get("snippet", String.class)) : null),
                searching ? row.get("rank", Float.class) : 0f))
            .all()
            .collectList()
            .map(rows -> page(rows, limit, searching));
    }

    private static ArticlePage page(List<Listed> rows, int limit, boolean searching) {
        if (rows.size() <= limit) {
            return new ArticlePage(rows.stream().map(Listed::summary).toList(), null);
        }
        Listed last = rows.get(limit - 1);
        ArticleCursor next = searching ? ArticleCursor.afterRank(last.rank(), last.summary().id())
            : ArticleCursor.after(last.summary().publishedAt(), last.summary().id());
        return new ArticlePage(rows.subList(0, limit).stream().map(Listed::summary).toList(), next.encode());
    }

    /** A listed article with the rank its cursor needs. */
    private record Listed(ArticleSummary summary, float rank) {
    }
}
