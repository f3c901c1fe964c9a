package ma.majlis.content.articles;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** The data of every {@code majlis.articles.v1} event (ARCHITECTURE.md, "Events"). */
public record ArticleEvent(UUID id, String slug, String title, @Nullable String summary, boolean commentsEnabled,
    String status, @Nullable OffsetDateTime publishedAt, int version) {

    public static final String PUBLISHED = "ma.majlis.article.published.v1";

    public static final String UPDATED = "ma.majlis.article.updated.v1";

    public static final String WITHDRAWN = "ma.majlis.article.withdrawn.v1";

    public static final String AGGREGATE_TYPE = "article";
}
