package ma.majlis.comments.discussion;

import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Turns a reader's Markdown into HTML that cannot run anything in another reader's browser: raw HTML is shown as
 * text, and the result passes an allow-list of inline and block elements with links to http, https and mailto
 * only, each marked {@code rel="nofollow ugc noopener"}.
 */
public final class CommentRenderer {

    private static final List<Extension> EXTENSIONS = List.of(StrikethroughExtension.create(),
        AutolinkExtension.create());

    private static final Safelist ALLOWED = Safelist.basic()
        .addTags("del", "s", "hr")
        .removeProtocols("a", "href", "ftp")
        .addEnforcedAttribute("a", "rel", "nofollow ugc noopener");

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();

    private final HtmlRenderer renderer = HtmlRenderer.builder()
        .extensions(EXTENSIONS)
        .escapeHtml(true)
        .sanitizeUrls(true)
        .build();

    public String render(String markdown) {
        String html = renderer.render(parser.parse(markdown));
        Document.OutputSettings output = new Document.OutputSettings().prettyPrint(false);
        return Jsoup.clean(html, "", ALLOWED, output).strip();
    }
}
