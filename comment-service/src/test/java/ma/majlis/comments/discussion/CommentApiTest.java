package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Posting and reading comments through the HTTP API, on a real PostgreSQL and broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CommentApiTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        article = Articles.publish(database, "day-70", true);
    }

    @Test
    void postsACommentRenderedAndSanitisedAndServesItInTheDiscussion() {
        Map<?, ?> posted = post(Map.of("authorName", "  Amina  ", "body", "**Merci** pour l'article ! 🌱",
            "email", "Amina@Example.ma"))
            .expectStatus().isCreated()
            .expectHeader().valueMatches("Location", "/api/comments/[0-9a-f-]{36}")
            .expectBody(Map.class).returnResult().getResponseBody();

        Map<?, ?> comment = (Map<?, ?>) posted.get("comment");
        assertThat(comment.get("authorName")).isEqualTo("Amina");
        assertThat(comment.get("bodyHtml")).isEqualTo("<p><strong>Merci</strong> pour l'article ! 🌱</p>");
        assertThat(comment.get("status")).isEqualTo("published");
        assertThat(comment.keySet().stream().map(String::valueOf)).doesNotContain("email", "authorEmailHash");
        assertThat((String) posted.get("editToken")).hasSizeGreaterThan(40);
        assertThat(posted.get("editableUntil")).isNotNull();

        client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.items.length()").isEqualTo(1)
            .jsonPath("$.items[0].id").isEqualTo(comment.get("id"))
            .jsonPath("$.items[0].bodyHtml").isEqualTo(comment.get("bodyHtml"))
            .jsonPath("$.lastSeq").isEqualTo(comment.get("seq"))
            .jsonPath("$.nextCursor").doesNotExist();
        String stored = database.sql("select author_email_hash from comment where id = :id")
            .bind("id", UUID.fromString((String) comment.get("id")))
            .map(row -> row.get("author_email_hash", String.class)).one().block(Duration.ofSeconds(5));
        assertThat(stored).as("the address is stored only as its hash").hasSize(64).doesNotContain("@");
    }

    @Test
    void previewsABodyAsItWouldBeShownWithoutStoringAnything() {
        long before = database.sql("select count(*) as n from comment").map(row -> row.get("n", Long.class)).one()
            .block(Duration.ofSeconds(5));
        client.post().uri("/api/comment-previews").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("body", "**Bold** <script>alert(1)</script><img src=x onerror=alert(2)>"))
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.bodyHtml").value(html -> assertThat((String) html)
                .startsWith("<p><strong>Bold</strong>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script", "<img"));
        client.post().uri("/api/comment-previews").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("body", "  ")).exchange()
            .expectStatus().isEqualTo(422)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("body");
        assertThat(database.sql("select count(*) as n from comment").map(row -> row.get("n", Long.class)).one()
            .block(Duration.ofSeconds(5))).isEqualTo(before);
    }

    @Test
    void refusesAnUnknownAClosedAndAWithdrawnArticle() {
        client.post().uri("/api/articles/no-such-day/comments").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("authorName", "A", "body", "Hi")).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/article-not-found");

        Articles.Announced closed = Articles.publish(database, "day-71-closed", false);
        client.post().uri("/api/articles/{slug}/comments", closed.slug()).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("authorName", "A", "body", "Hi")).exchange()
            .expectStatus().isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/comments-closed");

        Articles.withdraw(database, article);
        post(Map.of("authorName", "A", "body", "Hi")).expectStatus().isEqualTo(410)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/article-withdrawn");
        client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange().expectStatus().isEqualTo(410);
        assertThat(comments(article)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an empty body               | {\"authorName\": \"A\", \"body\": \"\"}                 | body",
        "a body of spaces            | {\"authorName\": \"A\", \"body\": \"  \\n\\t \"}         | body",
        "no name                     | {\"body\": \"Hi\"}                                       | authorName",
        "a name of spaces            | {\"authorName\": \"   \", \"body\": \"Hi\"}              | authorName",
        "a name over 80 characters   | {\"authorName\": \"NAME81\", \"body\": \"Hi\"}           | authorName",
        "a name on two lines         | {\"authorName\": \"A\\nB\", \"body\": \"Hi\"}            | authorName",
        "a name that turns text      | {\"authorName\": \"A\\u202eB\", \"body\": \"Hi\"}        | authorName",
        "a control character in body | {\"authorName\": \"A\", \"body\": \"Hi\\u0007\"}         | body",
        "a NUL in the body           | {\"authorName\": \"A\", \"body\": \"Hi\\u0000\"}         | body",
        "a lone surrogate            | {\"authorName\": \"A\", \"body\": \"Hi \\ud83c\"}        | body",
        "a body over the limit       | {\"authorName\": \"A\", \"body\": \"LONGBODY\"}          | body",
        "a name that is a number     | {\"authorName\": 7, \"body\": \"Hi\"}                    | authorName",
        "a parent that is no id      | {\"authorName\": \"A\", \"body\": \"Hi\", \"parentId\": \"x\"} | parentId",
        "an unknown parent           | {\"authorName\": \"A\", \"body\": \"Hi\", \"parentId\": \"PARENT\"} | parentId",
        "an address that is not one  | {\"authorName\": \"A\", \"body\": \"Hi\", \"email\": \"nope\"} | email",
    })
    void refusesBadInputNamingTheFieldAndStoresNothing(String name, String body, String field) {
        String json = body.replace("NAME81", "x".repeat(81))
            .replace("LONGBODY", "x".repeat(10_001))
            .replace("PARENT", UUID.randomUUID().toString());
        postJson(json).expectStatus().isEqualTo(422)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/invalid-comment")
            .jsonPath("$.errors[0].field").isEqualTo(field);
        assertThat(comments(article)).isZero();
        assertThat(outboxRows(article)).isZero();
    }

    @Test
    void namesEveryBadFieldAtOnce() {
        postJson("{\"authorName\": \"\", \"body\": \"\", \"email\": \"nope\"}").expectStatus().isEqualTo(422)
            .expectBody().jsonPath("$.errors[*].field").isEqualTo(List.of("authorName", "body", "email"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON     | {\"authorName\": \"A\"",
        "an array           | [1, 2]",
        "a string           | \"hello\"",
        "deeply nested JSON | DEEP",
    })
    void refusesABodyThatIsNotACommentObjectWith400(String name, String body) {
        String json = body.equals("DEEP") ? "{\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}" : body;
        postJson(json).expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/invalid-json");
        assertThat(comments(article)).isZero();
    }

    @Test
    void refusesARequestOverTheSizeLimitWith413() {
        postJson("{\"authorName\": \"A\", \"body\": \"" + "x".repeat(60_000) + "\"}").expectStatus().isEqualTo(413)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/comment-too-large");
    }

    @Test
    void refusesAReplyToACommentOfAnotherArticle() {
        Articles.Announced other = Articles.publish(database, "day-72-other", true);
        String foreign = id(client.post().uri("/api/articles/{slug}/comments", other.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("authorName", "B", "body", "Elsewhere"))
            .exchange().expectStatus().isCreated());

        post(Map.of("authorName", "A", "body", "Reply", "parentId", foreign)).expectStatus().isEqualTo(422)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("parentId");
        assertThat(comments(article)).isZero();
        // The position and the count were taken before the parent was checked, and went back with the transaction.
        assertThat(positionAndCount(article)).containsExactly(0L, 0L);
        assertThat(outboxRows(article)).isZero();
    }

    private List<Long> positionAndCount(Articles.Announced of) {
        return database.sql("select last_seq, published_count from article where id = :id").bind("id", of.id())
            .map(row -> List.of(row.get("last_seq", Long.class), row.get("published_count", Long.class))).one()
            .block(Duration.ofSeconds(5));
    }

    private WebTestClient.ResponseSpec post(Map<String, ?> body) {
        return client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec postJson(String json) {
        return client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    static String id(WebTestClient.ResponseSpec created) {
        Map<?, ?> posted = created.expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((Map<?, ?>) posted.get("comment")).get("id");
    }

    private long comments(Articles.Announced of) {
        return database.sql("select count(*) as n from comment where article_id = :id").bind("id", of.id())
            .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }

    private long outboxRows(Articles.Announced of) {
        return database.sql("select count(*) as n from outbox where aggregateid = :id").bind("id", of.id().toString())
            .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }
}
