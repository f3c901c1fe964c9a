package ma.majlis.content.rendering;

import java.util.List;

/** An article's sanitised HTML and its table of contents. */
public record RenderedArticle(String html, List<TocEntry> tableOfContents) {
}
