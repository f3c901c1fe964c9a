package ma.majlis.content.rendering;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * The allow-list every piece of HTML passes before a reader sees it: the elements Markdown produces, links
 * and images over http(s) only, no script, no style, no event handler, no {@code javascript:} URL.
 */
public final class HtmlPolicy {

    private static final Safelist ALLOWED = Safelist.relaxed()
        .addTags("del", "s", "hr", "abbr", "kbd", "mark", "figure", "figcaption")
        .addAttributes(":all", "title")
        .addAttributes("h1", "id").addAttributes("h2", "id").addAttributes("h3", "id")
        .addAttributes("h4", "id").addAttributes("h5", "id").addAttributes("h6", "id")
        .addAttributes("code", "class")
        .addAttributes("th", "align").addAttributes("td", "align")
        .addAttributes("ol", "start")
        .removeProtocols("a", "href", "ftp")
        .addProtocols("a", "href", "#")
        .addEnforcedAttribute("a", "rel", "nofollow noopener");

    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private HtmlPolicy() {
    }

    /** {@code html} with everything outside the allow-list removed. Relative links stay relative. */
    public static String sanitise(String html) {
        return Jsoup.clean(html, "https://majlis.invalid/", ALLOWED.preserveRelativeLinks(true), OUTPUT);
    }
}
