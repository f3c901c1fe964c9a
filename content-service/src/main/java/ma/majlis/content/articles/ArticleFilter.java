package ma.majlis.content.articles;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Which published articles a list shows.
 *
 * @param series only articles of this series, or all
 * @param tags only articles carrying every one of these tags
 * @param query words to search for (PostgreSQL full-text, web-search syntax: quotes, {@code or}, {@code -word});
 * the list is then ordered by rank and each item has a snippet
 */
record ArticleFilter(@Nullable String series, List<String> tags, @Nullable String query) {

    boolean searching() {
        return query != null;
    }
}
