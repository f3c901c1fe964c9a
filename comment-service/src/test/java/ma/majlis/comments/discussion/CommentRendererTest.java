package ma.majlis.comments.discussion;

import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a reader writes comes out as HTML that cannot run in another reader's browser. */
class CommentRendererTest {

    static final Set<String> SAFE_TAGS = Set.of("body", "p", "a", "strong", "em", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "br", "hr");

    final CommentRenderer renderer = new CommentRenderer();

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "![x](javascript:alert(1))",
        "<details open ontoggle=alert(1)>",
        "<style>body{display:none}</style>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form action=\"https://evil.example\"><button>Go</button></form>",
        "<object data=\"javascript:alert(1)\"></object>",
        "[x](&#106;avascript:alert(1))",
        "<<script>script>alert(1)<</script>/script>",
        "`<script>alert(1)</script>`",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    })
    void rendersHostileInputInert(String markdown) {
        // Read the output as a browser would: only harmless elements, no handlers, no styles, only web links.
        Document document = Jsoup.parseBodyFragment(renderer.render(markdown));

        for (Element element : document.body().getAllElements()) {
            assertThat(element.tagName()).isIn(SAFE_TAGS);
            for (Attribute attribute : element.attributes()) {
                assertThat(attribute.getKey()).isIn("href", "rel");
                if (attribute.getKey().equals("href")) {
                    assertThat(attribute.getValue()).matches("(?i)(https?://|mailto:).*");
                }
            }
        }
    }

    @Test
    void keepsWhatReadersFormat() {
        assertThat(renderer.render("**bold**, _em_, ~~gone~~, `code` and https://majlis.ma"))
            .isEqualTo("<p><strong>bold</strong>, <em>em</em>, <del>gone</del>, <code>code</code> and "
                + "<a href=\"https://majlis.ma\" rel=\"nofollow ugc noopener\">https://majlis.ma</a></p>");
        assertThat(renderer.render("> quoted\n\n- one\n- two"))
            .isEqualTo("<blockquote>\n<p>quoted</p>\n</blockquote>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>");
    }

    @Test
    void showsRawHtmlAsText() {
        assertThat(renderer.render("I like <b>tags</b>")).isEqualTo("<p>I like &lt;b&gt;tags&lt;/b&gt;</p>");
    }
}
