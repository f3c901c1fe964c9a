package ma.majlis.content.articles;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;

/**
 * Search snippets as safe HTML. PostgreSQL's {@code ts_headline} marks each match with control characters that
 * no article text carries; the snippet is HTML-escaped first and only then are those marks turned into
 * {@code <mark>} elements, so whatever the article says shows as text.
 */
final class Snippets {

    private static final char START = '\u0002';

    private static final char STOP = '\u0003';

    /** Up to two fragments of 8 to 24 words around the matches. */
    static final String HEADLINE_OPTIONS = "StartSel=" + START + ", StopSel=" + STOP
        + ", MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=\" … \"";

    private Snippets() {
    }

    static @Nullable String toHtml(@Nullable String headline) {
        if (headline == null) {
            return null;
        }
        return HtmlUtils.htmlEscape(headline.strip(), "UTF-8")
            .replace(String.valueOf(START), "<mark>")
            .replace(String.valueOf(STOP), "</mark>");
    }
}
