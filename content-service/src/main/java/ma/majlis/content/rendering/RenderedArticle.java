package ma.majlis.content.rendering;

import java.util.List;

/**
 * An article rendered for readers and for search.
 *
 * @param html the sanitised HTML
 * @param tableOfContents the headings, in order, with their anchors
 * @param text the words of the article without markup, which full-text search indexes
 */
public record RenderedArticle(String html, List<TocEntry> tableOfContents, String text) {
}
