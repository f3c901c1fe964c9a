package ma.majlis.content.rendering;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownRendererTest {

    final MarkdownRenderer renderer = new MarkdownRenderer();

    @Test
    void rendersGithubFlavouredTablesStrikethroughAndAutolinks() {
        String html = renderer.render("""
            | City | Lab |
            |:-----|----:|
            | Rabat | 3 |

            ~~retired~~ and https://example.org/ai
            """).html();
        assertThat(html).contains("<table>", "<th align=\"left\">City</th>", "<td align=\"right\">3</td>")
            .contains("<del>retired</del>")
            .contains("<a href=\"https://example.org/ai\" rel=\"nofollow noopener\">https://example.org/ai</a>");
    }

    @Test
    void rendersDoubleBacktickCodeSpansAsTheSeriesUsesThem() {
        assertThat(renderer.render("Our ``ML & DL Morocco Challenges`` series").html().strip())
            .isEqualTo("<p>Our <code>ML &amp; DL Morocco Challenges</code> series</p>");
    }

    @Test
    void anchorsEveryHeadingAndListsThemAsATableOfContents() {
        RenderedArticle article = renderer.render("""
            # **🧠 Day 12: Data for Darija 🧠**
            ## **Why Data Matters**
            ### Sources
            ## Why Data Matters
            """);
        assertThat(article.tableOfContents()).extracting(TocEntry::level, TocEntry::text)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "🧠 Day 12: Data for Darija 🧠"),
                org.assertj.core.groups.Tuple.tuple(2, "Why Data Matters"),
                org.assertj.core.groups.Tuple.tuple(3, "Sources"),
                org.assertj.core.groups.Tuple.tuple(2, "Why Data Matters"));
        assertThat(article.tableOfContents()).extracting(TocEntry::anchor).doesNotHaveDuplicates()
            .allSatisfy(anchor -> assertThat(article.html()).contains("id=\"" + anchor + "\""));
        assertThat(article.tableOfContents().get(1).anchor()).isEqualTo("why-data-matters");
    }

    @Test
    void dropsHtmlCommentsWhetherTheyStandAloneOrInline() {
        String html = renderer.render("""
            Before.

            <!-- 🚀 **[Private link](https://example.org/draft)** 🚀 -->

            Inline <!-- note to self --> text.
            """).html();
        assertThat(html).doesNotContain("Private link", "note to self", "<!--", "example.org/draft")
            .contains("<p>Before.</p>", "Inline  text.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
        "<a href=\"  javascript:alert(1)\">click</a>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<svg onload=alert(1)><circle/></svg>",
        "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">x</p>",
        "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<form action=\"https://evil.example\"><input name=q></form>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    })
    void letsNoScriptEventHandlerOrScriptUrlThrough(String hostile) {
        String html = renderer.render("Text before.\n\n" + hostile + "\n\nText after.").html().toLowerCase();
        assertThat(html).doesNotContain("<script", "javascript:", "onerror", "onload", "onclick", "<iframe",
            "<svg", "style=", "data:text", "<form", "<input", "<object", "<embed", "<style");
        // Unclosed hostile markup may swallow what follows it; what came before always survives.
        assertThat(html).contains("text before.");
    }

    @Test
    void keepsRelativeAndInPageLinks() {
        String html = renderer.render("[yesterday](../day-11/) and [below](#sources)").html();
        assertThat(html).contains("href=\"../day-11/\"", "href=\"#sources\"");
    }
}
