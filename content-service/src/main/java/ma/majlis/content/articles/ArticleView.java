package ma.majlis.content.articles;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ma.majlis.content.rendering.TocEntry;
import org.jspecify.annotations.Nullable;

/**
 * One article as a reader receives it: rendered HTML, table of contents and metadata.
 *
 * @param commentCount the published comments under the article, as comment-service announced them
 */
public record ArticleView(UUID id, String slug, String title, @Nullable String summary, @Nullable String series,
    @Nullable Integer day, List<String> tags, @Nullable LocalDate date, boolean commentsEnabled, int commentCount,
    String status,
    int version, String html, List<TocEntry> tableOfContents, Map<String, Object> metadata,
    @Nullable OffsetDateTime publishedAt, OffsetDateTime updatedAt) {
}
