package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ma.majlis.comments.Articles;
import ma.majlis.comments.live.StreamReaderAccess;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.awaitility.Awaitility.await;

/** With pre-moderation on, a new comment waits unseen until a moderator approves it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.comments.pre-moderation=true")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class PreModerationTest {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void aHeldCommentIsUnseenUntilApproved() {
        Articles.Announced article = Articles.publish(database, "day-84-held", true);
        try (StreamReaderAccess reader = new StreamReaderAccess(port, article.slug())) {
            await().atMost(Duration.ofSeconds(30)).until(reader::connected);

            String id = CommentApiTest.id(client.post().uri("/api/articles/{slug}/comments", article.slug())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("authorName", "New", "body", "Held"))
                .exchange().expectStatus().isCreated());
            client.get().uri("/api/comments/{id}", id).exchange().expectStatus().isNotFound();
            client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
            client.get().uri("/api/comment-counts?articles={slug}", article.slug()).exchange()
                .expectBody().jsonPath("$['" + article.slug() + "']").isEqualTo(0);

            client.patch().uri("/api/comments/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, ma.majlis.comments.Tokens.bearer(environment, "mod", "moderator"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "published")).exchange()
                .expectStatus().isOk();

            client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
                .expectBody().jsonPath("$.items[0].bodyHtml").isEqualTo("<p>Held</p>");
            client.get().uri("/api/comment-counts?articles={slug}", article.slug()).exchange()
                .expectBody().jsonPath("$['" + article.slug() + "']").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.names().equals(List.of("comment.created")));
        }
    }
}
