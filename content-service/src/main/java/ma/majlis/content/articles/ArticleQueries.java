package ma.majlis.content.articles;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads published articles. Pages are collected before they are returned (see STACK.md on pool leaks). */
@Repository
class ArticleQueries {

    private final DatabaseClient database;

    ArticleQueries(DatabaseClient database) {
        this.database = database;
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
