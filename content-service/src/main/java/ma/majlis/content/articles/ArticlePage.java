package ma.majlis.content.articles;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A bounded page of articles: newest first, or best match first when searching.
 *
 * @param nextCursor pass as {@code cursor} for the page after this one; null on the last page
 */
public record ArticlePage(List<ArticleSummary> items, @Nullable String nextCursor) {
}
