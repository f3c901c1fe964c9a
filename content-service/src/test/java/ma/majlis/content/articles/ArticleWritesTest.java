package ma.majlis.content.articles;

import java.nio.charset.StandardCharsets;
import java.util.List;

import ma.majlis.content.ArticleRequests;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** PUT with If-Match, DELETE as withdrawal, and articles written as JSON. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.articles.max-page-bytes=4096")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class ArticleWritesTest {

    static final MediaType MARKDOWN = ArticleRequests.MARKDOWN;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @BeforeEach
    void empty() {
        ArticleRequests.deleteAll(database);
        ArticleRequests.post(client, "day-8.md", "# Day 8: Ports\n\nFirst draft of the text.\n")
            .expectStatus().isCreated();
    }

    @Test
    void replacesAnArticleWhenIfMatchNamesItsVersionAndAnnouncesTheUpdate() {
        put("day-8", "\"v1\"", "# Day 8: Ports and harbours\n\nBetter text.\n")
            .expectStatus().isOk()
            .expectHeader().valueEquals(HttpHeaders.ETAG, "\"v2\"")
            .expectBody()
            .jsonPath("$.version").isEqualTo(2)
            .jsonPath("$.outcome").isEqualTo("UPDATED");

        client.get().uri("/api/articles/day-8").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals(HttpHeaders.ETAG, "\"v2\"")
            .expectBody().jsonPath("$.title").isEqualTo("Day 8: Ports and harbours");
        assertThat(outboxTypes()).containsExactly(ArticleEvent.PUBLISHED, ArticleEvent.UPDATED);
    }

    @Test
    void refusesAStaleVersionWith412AndChangesNothing() {
        put("day-8", "\"v1\"", "# Day 8: Ports\n\nEditor A's change.\n").expectStatus().isOk();

        put("day-8", "\"v1\"", "# Day 8: Ports\n\nEditor B's change, made on version 1.\n")
            .expectStatus().isEqualTo(412)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/stale-version")
            .jsonPath("$.currentEtag").isEqualTo("\"v2\"");

        client.get().uri("/api/articles/day-8").exchange().expectBody()
            .jsonPath("$.html").value(html -> assertThat((String) html).contains("Editor A"));
        assertThat(outboxTypes()).hasSize(2);
    }

    @ParameterizedTest(name = "If-Match {0}")
    @CsvSource({ "W/\"v1\"", "\"something-else\"" })
    void treatsAWeakOrForeignEtagAsStale(String ifMatch) {
        put("day-8", ifMatch, "# Day 8: Ports\n\nChange.\n").expectStatus().isEqualTo(412);
        assertThat(outboxTypes()).hasSize(1);
    }

    @Test
    void requiresIfMatchOnPut() {
        client.put().uri("/api/articles/day-8").contentType(MARKDOWN)
            .bodyValue("# Day 8: Ports\n\nChange.\n".getBytes(StandardCharsets.UTF_8))
            .exchange()
            .expectStatus().isEqualTo(428)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/precondition-required");
        assertThat(outboxTypes()).hasSize(1);
    }

    @Test
    void answersAnUnchangedPageWithItsVersionAndAnnouncesNothing() {
        put("day-8", "*", "# Day 8: Ports\n\nFirst draft of the text.\n")
            .expectStatus().isOk()
            .expectBody().jsonPath("$.outcome").isEqualTo("UNCHANGED").jsonPath("$.version").isEqualTo(1);
        assertThat(outboxTypes()).hasSize(1);
    }

    @Test
    void answersAPutToAnUnknownSlugWith404() {
        put("day-99", "*", "# Day 99: Nowhere\n").expectStatus().isNotFound()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/article-not-found");
        assertThat(articleCount()).isEqualTo(1);
    }

    @Test
    void withdrawsWithDeleteSoTheSlugAnswers410AndAPutBringsItBack() {
        client.delete().uri("/api/articles/day-8").exchange()
            .expectStatus().isNoContent()
            .expectHeader().valueEquals(HttpHeaders.ETAG, "\"v2\"");
        client.get().uri("/api/articles/day-8").exchange()
            .expectStatus().isEqualTo(410)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/article-withdrawn");
        client.get().uri("/api/articles").exchange().expectBody().jsonPath("$.items.length()").isEqualTo(0);

        client.delete().uri("/api/articles/day-8").exchange().expectStatus().isNoContent();
        assertThat(outboxTypes()).as("withdrawing twice announces once")
            .containsExactly(ArticleEvent.PUBLISHED, ArticleEvent.WITHDRAWN);

        put("day-8", "\"v2\"", "# Day 8: Ports\n\nBack again.\n").expectStatus().isOk();
        client.get().uri("/api/articles/day-8").exchange().expectStatus().isOk();
        assertThat(outboxTypes()).endsWith(ArticleEvent.PUBLISHED);
    }

    @Test
    void refusesADeleteWithAStaleIfMatchAndAnUnknownSlug() {
        client.delete().uri("/api/articles/day-8").header(HttpHeaders.IF_MATCH, "\"v7\"").exchange()
            .expectStatus().isEqualTo(412);
        client.delete().uri("/api/articles/day-99").exchange().expectStatus().isNotFound();
        client.get().uri("/api/articles/day-8").exchange().expectStatus().isOk();
    }

    @Test
    void createsAnArticleFromJsonWhoseFieldsMeanWhatTheFrontMatterKeysMean() {
        client.post().uri("/api/articles").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("""
                {"slug": "day-9-souks", "title": "Day 9: Souks", "tags": ["retail", "vision"],
                 "comments": false, "date": "2023-10-09", "author": "Majlis",
                 "markdown": "Shops that count stock by camera. Itâ€™s quick."}""")
            .exchange()
            .expectStatus().isCreated()
            .expectHeader().location("/api/articles/day-9-souks")
            .expectBody().jsonPath("$.repairs[0].repaired").isEqualTo("’");

        client.get().uri("/api/articles/day-9-souks").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.title").isEqualTo("Day 9: Souks")
            .jsonPath("$.day").isEqualTo(9)
            .jsonPath("$.tags[1]").isEqualTo("vision")
            .jsonPath("$.commentsEnabled").isEqualTo(false)
            .jsonPath("$.metadata.author").isEqualTo("Majlis")
            .jsonPath("$.html").value(html -> assertThat((String) html).contains("It’s quick."));
    }

    @Test
    void replacesAnArticleFromJsonButNeverMovesItToAnotherSlug() {
        client.put().uri("/api/articles/day-8").contentType(MediaType.APPLICATION_JSON)
            .header(HttpHeaders.IF_MATCH, "\"v1\"")
            .bodyValue("{\"slug\": \"day-80\", \"markdown\": \"# Day 8: Moved\"}")
            .exchange()
            .expectStatus().isEqualTo(422)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("slug");

        client.put().uri("/api/articles/day-8").contentType(MediaType.APPLICATION_JSON)
            .header(HttpHeaders.IF_MATCH, "\"v1\"")
            .bodyValue("{\"markdown\": \"# Day 8: Ports, as JSON\"}")
            .exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.slug").isEqualTo("day-8").jsonPath("$.version").isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON         | {\"markdown\": \"# T\"                    | 400 | /problems/invalid-json",
        "an array, not an object| [\"# T\"]                                 | 400 | /problems/invalid-json",
        "no markdown            | {\"title\": \"T\"}                        | 422 | /problems/invalid-page",
        "a slug with spaces     | {\"slug\": \"Day 9\", \"markdown\": \"# T\"} | 422 | /problems/invalid-page",
        "a title that is a list | {\"title\": [1], \"markdown\": \"x\"}      | 422 | /problems/invalid-page",
        "deeply nested JSON     | DEEP                                       | 400 | /problems/invalid-json",
    })
    void refusesBadJsonNamingTheProblemAndStoresNothing(String name, String body, int status, String type) {
        String json = body.equals("DEEP") ? "{\"markdown\": \"x\", \"m\": " + "[".repeat(2000) + "]".repeat(2000) + "}"
            : body;
        client.post().uri("/api/articles").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
            .exchange()
            .expectStatus().isEqualTo(status)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo(type);
        assertThat(articleCount()).isEqualTo(1);
        assertThat(outboxTypes()).hasSize(1);
    }

    private WebTestClient.ResponseSpec put(String slug, String ifMatch, String page) {
        return ArticleRequests.put(client, slug, ifMatch, page);
    }

    private long articleCount() {
        return ArticleRequests.articleCount(database);
    }

    private List<Object> outboxTypes() {
        return ArticleRequests.outboxTypes(database);
    }
}
