package ma.majlis.gateway;

import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway serves the reader pages and the widget itself: pages that run no inline script under a policy that
 * forbids it, and a widget that the configured sites may load.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "MAJLIS_CORS_ORIGINS=https://blog.example.ma")
@AutoConfigureWebTestClient
class ReaderPagesTest {

    static final Upstream content = new Upstream("content-service");

    static final Upstream comments = new Upstream("comment-service");

    /** An inline script, or an event-handler attribute: what the policy forbids and the pages must not need. */
    static final Pattern INLINE_CODE = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>|\\son[a-z]+\\s*=",
        Pattern.CASE_INSENSITIVE);

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("MAJLIS_CONTENT_SERVICE_URI", content::uri);
        registry.add("MAJLIS_COMMENT_SERVICE_URI", comments::uri);
    }

    @AfterAll
    static void stopUpstreams() {
        content.close();
        comments.close();
    }

    @Autowired
    WebTestClient client;

    private String page(String path) {
        return client.get().uri(path).exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader().valueEquals("Content-Security-Policy", SecurityHeaders.PAGE_POLICY)
            .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
            .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void servesTheArticleListAndEachArticlePageWithoutInlineScript() {
        String list = page("/");
        assertThat(list).contains("<script src=\"/assets/reader.js\"").doesNotContainPattern(INLINE_CODE);
        String article = page("/articles/day-3-computer-vision-for-agriculture");
        assertThat(article).contains("<script src=\"/embed/comments.js\"", "id=\"majlis-comments\"")
            .doesNotContainPattern(INLINE_CODE);
        assertThat(SecurityHeaders.PAGE_POLICY).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(content.requests()).as("pages are the gateway's own").isEmpty();
    }

    @Test
    void servesTheWidgetAndLetsTheConfiguredSitesFetchItsStylesheet() {
        client.get().uri("/embed/comments.js").exchange()
            .expectStatus().isOk()
            .expectHeader().valueMatches(HttpHeaders.CONTENT_TYPE, "(text|application)/javascript.*")
            .expectHeader().valueMatches(HttpHeaders.CACHE_CONTROL, ".*max-age=300.*")
            .expectBody(String.class).value(script -> assertThat(script).contains("attachShadow"));
        client.get().uri("/embed/comments.css").header(HttpHeaders.ORIGIN, "https://blog.example.ma").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://blog.example.ma")
            .expectBody().consumeWith(body -> { });
        client.get().uri("/embed/comments.css").header(HttpHeaders.ORIGIN, "https://elsewhere.example").exchange()
            .expectStatus().isForbidden()
            .expectBody().consumeWith(body -> { });
    }
}
