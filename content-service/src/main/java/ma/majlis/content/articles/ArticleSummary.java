package ma.majlis.content.articles;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One line of an article list.
 *
 * @param commentCount the published comments under the article, as comment-service announced them
 * @param snippet when searching, the words around the matches as HTML: the text is escaped and each match is in a
 * {@code <mark>}
 */
public record ArticleSummary(UUID id, String slug, String title, @Nullable String summary, @Nullable String series,
    @Nullable Integer day, List<String> tags, boolean commentsEnabled, int commentCount,
    @Nullable OffsetDateTime publishedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String snippet) {
}
