package ma.majlis.content.rendering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Renders article Markdown as MkDocs Material readers know it: CommonMark with tables, strikethrough and
 * autolinks, an anchor on every heading, a table of contents, HTML comments dropped, and the result
 * sanitised by {@link HtmlPolicy}.
 */
public final class MarkdownRenderer {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
        StrikethroughExtension.create(), AutolinkExtension.create());

    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();

    private final TextContentRenderer plainText = TextContentRenderer.builder().build();

    public RenderedArticle render(String markdown) {
        Node document = parser.parse(markdown);
        document.accept(new CommentRemover());

        List<TocEntry> toc = new ArrayList<>();
        IdGenerator ids = IdGenerator.builder().defaultId("section").build();
        HtmlRenderer html = HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .attributeProviderFactory(context -> new HeadingAnchors(ids, toc))
            .build();
        String rendered = html.render(document);
        return new RenderedArticle(HtmlPolicy.sanitise(rendered), List.copyOf(toc), plainText.render(document));
    }

    /** Gives each heading an id, in document order, and notes it for the table of contents. */
    private final class HeadingAnchors implements AttributeProvider {

        private final IdGenerator ids;

        private final List<TocEntry> toc;

        HeadingAnchors(IdGenerator ids, List<TocEntry> toc) {
            this.ids = ids;
            this.toc = toc;
        }

        @Override
        public void setAttributes(Node node, String tagName, Map<String, String> attributes) {
            if (node instanceof Heading heading) {
                String text = plainText.render(heading).strip();
                String anchor = ids.generateId(text);
                attributes.put("id", anchor);
                toc.add(new TocEntry(heading.getLevel(), text, anchor));
            }
        }
    }

    /** Authors leave notes to themselves in HTML comments; readers never see them. */
    private static final class CommentRemover extends AbstractVisitor {

        @Override
        public void visit(HtmlBlock block) {
            String literal = COMMENT.matcher(block.getLiteral()).replaceAll("");
            if (literal.isBlank()) {
                block.unlink();
            }
            else {
                block.setLiteral(literal);
            }
        }

        @Override
        public void visit(HtmlInline inline) {
            if (COMMENT.matcher(inline.getLiteral()).matches()) {
                inline.unlink();
            }
        }
    }
}
