package ma.majlis.comments.discussion;

import java.util.Map;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch comment counts for list pages, and the Atom feed of a discussion. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CountsAndFeedTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Test
    void countsPublishedCommentsForEachArticleAsked() {
        Articles.Announced busy = Articles.publish(database, "day-81-busy", true);
        Articles.Announced quiet = Articles.publish(database, "day-82-quiet", true);
        String first = post(busy, "One", null);
        post(busy, "Two", first);
        post(busy, "Three", null);

        client.get().uri("/api/comment-counts?articles={a},{b},unknown-day", busy.slug(), quiet.slug()).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$['" + busy.slug() + "']").isEqualTo(3)
            .jsonPath("$['" + quiet.slug() + "']").isEqualTo(0)
            .jsonPath("$['unknown-day']").isEqualTo(0);
        client.get().uri("/api/comment-counts").exchange().expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("articles");
    }

    @Test
    void servesTheDiscussionAsAnAtomFeedWithItsHtmlEscaped() {
        Articles.Announced article = Articles.publish(database, "day-83-feed", true);
        post(article, "Salam <script>alert(1)</script> & **welcome**", null);

        String feed = client.get().uri("/api/articles/{slug}/comments.atom", article.slug())
            .header("X-Forwarded-Host", "majlis.example").header("X-Forwarded-Proto", "https")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/atom+xml"))
            .expectBody(String.class).returnResult().getResponseBody();

        assertThat(feed).contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<name>Reader</name>",
            "<content type=\"html\">&lt;p&gt;Salam &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; "
                + "&lt;strong&gt;welcome&lt;/strong&gt;&lt;/p&gt;</content>")
            .contains("<link rel=\"self\" href=\"https://majlis.example/api/articles/" + article.slug()
                + "/comments.atom\"/>")
            .doesNotContain("<script>");
        client.get().uri("/api/articles/no-such-day/comments.atom").exchange().expectStatus().isNotFound();
    }

    private String post(Articles.Announced article, String body, String parentId) {
        Map<String, Object> comment = new java.util.HashMap<>(Map.of("authorName", "Reader", "body", body));
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        return CommentApiTest.id(client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(comment).exchange().expectStatus().isCreated());
    }
}
