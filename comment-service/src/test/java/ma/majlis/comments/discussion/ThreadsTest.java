package ma.majlis.comments.discussion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Threads, replies per thread, keyset pages and the reply depth limit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.comments.max-depth=2")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class ThreadsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        article = Articles.publish(database, "day-74-threads", true);
    }

    @Test
    void pagesTopLevelCommentsByKeysetWithTheirFirstRepliesAndNoLossOrRepeat() {
        List<String> roots = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            roots.add(post("Root " + i, null));
        }
        for (int i = 1; i <= 5; i++) {
            post("Reply " + i, roots.get(0));
        }

        Map<?, ?> first = page("oldest", null, 3);
        assertThat(bodies(first)).containsExactly("<p>Root 1</p>", "<p>Root 2</p>", "<p>Root 3</p>");
        Map<?, ?> firstRoot = items(first).get(0);
        assertThat(firstRoot.get("replyCount")).isEqualTo(5);
        assertThat(bodies((List<?>) firstRoot.get("replies")))
            .as("each comment carries its first three replies").containsExactly("<p>Reply 1</p>", "<p>Reply 2</p>",
                "<p>Reply 3</p>");

        post("Root 8, posted while the reader pages", null);
        Map<?, ?> second = page("oldest", (String) first.get("nextCursor"), 3);
        Map<?, ?> third = page("oldest", (String) second.get("nextCursor"), 3);
        assertThat(bodies(second)).containsExactly("<p>Root 4</p>", "<p>Root 5</p>", "<p>Root 6</p>");
        assertThat(bodies(third)).containsExactly("<p>Root 7</p>", "<p>Root 8, posted while the reader pages</p>");
        assertThat(third.get("nextCursor")).isNull();

        assertThat(bodies(page("newest", null, 2))).containsExactly("<p>Root 8, posted while the reader pages</p>",
            "<p>Root 7</p>");
    }

    @Test
    void readsTheRestOfAThreadPageByPage() {
        String root = post("Root", null);
        for (int i = 1; i <= 5; i++) {
            post("Reply " + i, root);
        }
        Map<?, ?> first = client.get().uri("/api/comments/{id}/replies?limit=2", root).exchange()
            .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> second = client.get().uri(uri -> uri.path("/api/comments/{id}/replies").queryParam("limit", 2)
                .queryParam("cursor", first.get("nextCursor")).build(root)).exchange()
            .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(bodies(first)).containsExactly("<p>Reply 1</p>", "<p>Reply 2</p>");
        assertThat(bodies(second)).containsExactly("<p>Reply 3</p>", "<p>Reply 4</p>");
    }

    @Test
    void refusesARepliesDeeperThanTheLimit() {
        String root = post("Depth 0", null);
        String reply = post("Depth 1", root);
        String replyToReply = post("Depth 2", reply);
        client.post().uri("/api/articles/{slug}/comments", article.slug()).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("authorName", "A", "body", "Depth 3", "parentId", replyToReply))
            .exchange()
            .expectStatus().isEqualTo(422)
            .expectBody()
            .jsonPath("$.errors[0].field").isEqualTo("parentId")
            .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("at most 2"));
    }

    @Test
    void refusesAMalformedCursorASortAndALimitOutOfRange() {
        client.get().uri("/api/articles/{slug}/comments?cursor=bm90LWEtY3Vyc29y", article.slug()).exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/invalid-cursor");
        String newest = new CommentCursor(CommentCursor.Sort.NEWEST, 0, 5).encode();
        client.get().uri("/api/articles/{slug}/comments?sort=oldest&cursor=" + newest, article.slug()).exchange()
            .expectStatus().isBadRequest();
        client.get().uri("/api/articles/{slug}/comments?sort=loudest", article.slug()).exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("sort");
        client.get().uri("/api/articles/{slug}/comments?limit=10000", article.slug()).exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
    }

    private String post(String body, String parentId) {
        Map<String, Object> comment = new java.util.HashMap<>(Map.of("authorName", "Reader", "body", body));
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        return CommentApiTest.id(client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(comment).exchange().expectStatus().isCreated());
    }

    private Map<?, ?> page(String sort, String cursor, int limit) {
        return client.get().uri(uri -> {
                uri.path("/api/articles/{slug}/comments").queryParam("sort", sort).queryParam("limit", limit);
                if (cursor != null) {
                    uri.queryParam("cursor", cursor);
                }
                return uri.build(article.slug());
            })
            .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Map<?, ?>> items(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().<Map<?, ?>>map(item -> (Map<?, ?>) item).toList();
    }

    private static List<Object> bodies(Map<?, ?> page) {
        return bodies((List<?>) page.get("items"));
    }

    private static List<Object> bodies(List<?> comments) {
        return comments.stream().<Object>map(item -> ((Map<?, ?>) item).get("bodyHtml")).toList();
    }
}
