package ma.majlis.content.articles;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** One line of an article list. */
public record ArticleSummary(UUID id, String slug, String title, @Nullable String summary,
    boolean commentsEnabled, @Nullable OffsetDateTime publishedAt) {
}
