package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ma.majlis.comments.Articles;
import ma.majlis.comments.MutableClock;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Edits and deletions by authors within the window, moderation, and votes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.comments.edit-window=10m")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CommentChangesTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    MutableClock clock;

    @Autowired
    org.springframework.core.env.Environment environment;

    String moderator;

    @BeforeEach
    void moderatorToken() {
        moderator = ma.majlis.comments.Tokens.bearer(environment, "moderator@majlis", "moderator");
    }

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        clock.reset();
        article = Articles.publish(database, "day-80-changes", true);
    }

    @Test
    void theAuthorEditsWithTheTokenAndReadersSeeTheEditLive() {
        Posting.Posted posted = post("First words", null);
        try (var reader = new ma.majlis.comments.live.StreamReaderAccess(port, article.slug())) {
            await().atMost(Duration.ofSeconds(30)).until(reader::connected);

            client.patch().uri("/api/comments/{id}", posted.id()).header("X-Edit-Token", posted.token())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("body", "Better *words*"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.bodyHtml").isEqualTo("<p>Better <em>words</em></p>")
                .jsonPath("$.editedAt").isNotEmpty();

            await().atMost(Duration.ofSeconds(30)).until(() -> reader.names().contains("comment.edited"));
            client.get().uri("/api/comments/{id}", posted.id()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.bodyHtml").isEqualTo("<p>Better <em>words</em></p>");
        }
    }

    @Test
    void refusesAWrongOrMissingTokenAndChangesNothing() {
        Posting.Posted posted = post("Mine", null);
        Posting.Posted other = post("Someone else's", null);

        client.patch().uri("/api/comments/{id}", posted.id()).header("X-Edit-Token", other.token())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("body", "Hijacked")).exchange()
            .expectStatus().isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/not-your-comment");
        client.delete().uri("/api/comments/{id}", posted.id()).exchange()
            .expectStatus().isUnauthorized()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/edit-token-required");
        client.delete().uri("/api/comments/{id}", posted.id())
            .header(HttpHeaders.AUTHORIZATION, ma.majlis.comments.Tokens.bearer(environment, "somebody-else"))
            .exchange()
            .expectStatus().isForbidden();

        client.get().uri("/api/comments/{id}", posted.id()).exchange()
            .expectBody().jsonPath("$.bodyHtml").isEqualTo("<p>Mine</p>");
    }

    @Test
    void afterTheWindowOnlyAModeratorMayChangeAComment() {
        Posting.Posted posted = post("Said in haste", null);
        clock.advance(Duration.ofMinutes(11));

        client.patch().uri("/api/comments/{id}", posted.id()).header("X-Edit-Token", posted.token())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("body", "Too late")).exchange()
            .expectStatus().isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/edit-window-closed");
        client.delete().uri("/api/comments/{id}", posted.id()).header(HttpHeaders.AUTHORIZATION, moderator).exchange()
            .expectStatus().isNoContent();
        client.delete().uri("/api/comments/{id}", posted.id()).header(HttpHeaders.AUTHORIZATION, moderator).exchange()
            .expectStatus().isEqualTo(410);
    }

    @Test
    void deletingACommentWithRepliesKeepsItsPlaceAndErasesItsWords() {
        Posting.Posted root = post("The root", null);
        post("A reply", root.id());

        client.delete().uri("/api/comments/{id}", root.id()).header("X-Edit-Token", root.token()).exchange()
            .expectStatus().isNoContent();

        client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.items.length()").isEqualTo(1)
            .jsonPath("$.items[0].status").isEqualTo("deleted")
            .jsonPath("$.items[0].bodyHtml").doesNotExist()
            .jsonPath("$.items[0].authorName").doesNotExist()
            .jsonPath("$.items[0].replies[0].bodyHtml").isEqualTo("<p>A reply</p>");
        Map<String, Object> stored = database.sql("select body_markdown, author_name from comment where id = "
                + "cast(:id as uuid)").bind("id", root.id()).fetch().one().block(Duration.ofSeconds(5));
        assertThat(stored).containsEntry("body_markdown", "").containsEntry("author_name", "");
    }

    @Test
    void aDeletedCommentWithoutRepliesLeavesThePage() {
        Posting.Posted posted = post("Gone soon", null);
        client.delete().uri("/api/comments/{id}", posted.id()).header("X-Edit-Token", posted.token()).exchange()
            .expectStatus().isNoContent();
        client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
            .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    void aModeratorHidesAndRestoresACommentAndReadersFollowLive() {
        Posting.Posted posted = post("Borderline", null);
        try (var reader = new ma.majlis.comments.live.StreamReaderAccess(port, article.slug())) {
            await().atMost(Duration.ofSeconds(30)).until(reader::connected);

            moderate(posted.id(), "hidden", moderator).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("hidden");
            client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);

            moderate(posted.id(), "published", moderator).expectStatus().isOk();
            client.get().uri("/api/articles/{slug}/comments", article.slug()).exchange()
                .expectBody().jsonPath("$.items[0].bodyHtml").isEqualTo("<p>Borderline</p>");
            await().atMost(Duration.ofSeconds(30))
                .until(() -> reader.names().equals(List.of("comment.deleted", "comment.created")));
        }
    }

    @Test
    void onlyAModeratorModerates() {
        Posting.Posted posted = post("Fine", null);
        client.patch().uri("/api/comments/{id}", posted.id()).header("X-Edit-Token", posted.token())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "hidden")).exchange()
            .expectStatus().isUnauthorized();
        moderate(posted.id(), "hidden", "Bearer not.a.token").expectStatus().isUnauthorized();
        moderate(posted.id(), "hidden", ma.majlis.comments.Tokens.bearer(environment, "reader")).expectStatus()
            .isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/forbidden");
        moderate(posted.id(), "shouting", moderator).expectStatus().isEqualTo(422)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("status");
        client.get().uri("/api/comments/{id}", posted.id()).exchange()
            .expectBody().jsonPath("$.status").isEqualTo("published");
    }

    @Test
    void aSignedInReaderChangesTheirOwnCommentWithoutAnEditTokenAndNobodyElsesWithTheirs() {
        String amina = ma.majlis.comments.Tokens.bearer(environment, "amina");
        Map<?, ?> posted = client.post().uri("/api/articles/{slug}/comments", article.slug())
            .header(HttpHeaders.AUTHORIZATION, amina)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("authorName", "Amina", "body", "Signed in"))
            .exchange().expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) ((Map<?, ?>) posted.get("comment")).get("id");
        Posting.Posted other = post("Someone else's", null);

        client.patch().uri("/api/comments/{id}", id).header(HttpHeaders.AUTHORIZATION, amina)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("body", "Signed in, edited")).exchange()
            .expectStatus().isOk();
        client.delete().uri("/api/comments/{id}", other.id()).header(HttpHeaders.AUTHORIZATION, amina).exchange()
            .expectStatus().isForbidden();
        client.get().uri("/api/comments/{id}", other.id()).exchange()
            .expectBody().jsonPath("$.bodyHtml").isEqualTo("<p>Someone else's</p>");
    }

    @Test
    void countsOneVotePerVoterAndSortsTopByScore() {
        Posting.Posted quiet = post("Quiet", null);
        Posting.Posted liked = post("Liked", null);
        vote(liked.id(), "voter-aaaa-1111", 1).expectStatus().isOk();
        vote(liked.id(), "voter-aaaa-1111", 1).expectStatus().isOk();
        vote(liked.id(), "voter-bbbb-2222", 1).expectStatus().isOk();
        vote(quiet.id(), "voter-aaaa-1111", -1).expectStatus().isOk()
            .expectBody().jsonPath("$.score").isEqualTo(-1);
        vote(quiet.id(), "voter-aaaa-1111", 0).expectStatus().isOk()
            .expectBody().jsonPath("$.score").isEqualTo(0);

        client.get().uri("/api/articles/{slug}/comments?sort=top", article.slug()).exchange()
            .expectBody()
            .jsonPath("$.items[0].bodyHtml").isEqualTo("<p>Liked</p>")
            .jsonPath("$.items[0].score").isEqualTo(2)
            .jsonPath("$.items[1].score").isEqualTo(0);
        vote(liked.id(), null, 1).expectStatus().isBadRequest();
        vote(liked.id(), "voter-aaaa-1111", 5).expectStatus().isEqualTo(422);
    }

    private WebTestClient.ResponseSpec moderate(String id, String status, String authorization) {
        return client.patch().uri("/api/comments/{id}", id).header(HttpHeaders.AUTHORIZATION, authorization)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", status)).exchange();
    }

    private WebTestClient.ResponseSpec vote(String id, String voter, int value) {
        WebTestClient.RequestBodySpec request = client.post().uri("/api/comments/{id}/votes", id)
            .contentType(MediaType.APPLICATION_JSON);
        if (voter != null) {
            request = request.header("X-Voter-Id", voter);
        }
        return request.bodyValue(Map.of("value", value)).exchange();
    }

    private Posting.Posted post(String body, String parentId) {
        return Posting.post(client, article.slug(), body, parentId);
    }
}
