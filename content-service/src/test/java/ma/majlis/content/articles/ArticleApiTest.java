package ma.majlis.content.articles;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ma.majlis.content.ArticleRequests;
import ma.majlis.content.Fixtures;
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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.articles.max-page-bytes=4096")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class ArticleApiTest {

    static final MediaType MARKDOWN = ArticleRequests.MARKDOWN;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @BeforeEach
    void empty() {
        ArticleRequests.deleteAll(database);
    }

    @Test
    void takesAnMkDocsPageAsPublishedAndServesItRenderedWithAnEtag() {
        client.post().uri("/api/articles")
            .contentType(MARKDOWN)
            .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"day-12-data-for-darija.md\"")
            .bodyValue(Fixtures.page("day-12-data-for-darija.md").getBytes(StandardCharsets.UTF_8))
            .exchange()
            .expectStatus().isCreated()
            .expectHeader().location("/api/articles/day-12-data-for-darija")
            .expectBody()
            .jsonPath("$.slug").isEqualTo("day-12-data-for-darija")
            .jsonPath("$.outcome").isEqualTo("CREATED")
            .jsonPath("$.version").isEqualTo(1)
            .jsonPath("$.repairs[?(@.repaired == '🧠')].count").isEqualTo(2);

        client.get().uri("/api/articles/day-12-data-for-darija").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals(HttpHeaders.ETAG, "\"v1\"")
            .expectBody()
            .jsonPath("$.title").isEqualTo("🧠 Day 12: Data for Darija 🧠")
            .jsonPath("$.series").isEqualTo("ML & DL Morocco Challenges")
            .jsonPath("$.day").isEqualTo(12)
            .jsonPath("$.commentsEnabled").isEqualTo(true)
            .jsonPath("$.tableOfContents[1].anchor").isEqualTo("why-data-matters")
            .jsonPath("$.html").value(html -> assertThat((String) html)
                .contains("<h2 id=\"why-data-matters\">", "🔹", "<code>ML &amp; DL Morocco Challenges</code>")
                .doesNotContain("<!--", "data sprint", "ðŸ"));

        client.get().uri("/api/articles/day-12-data-for-darija")
            .header(HttpHeaders.IF_NONE_MATCH, "\"v1\"")
            .exchange()
            .expectStatus().isNotModified()
            .expectBody().isEmpty();

        assertThat(outboxTypes()).containsExactly(ArticleEvent.PUBLISHED);
    }

    @Test
    void refusesASecondPageForAnExistingSlugAndAnnouncesNothingMore() {
        post("day-3.md", "# Day 3: Vision\n").expectStatus().isCreated();
        post("day-3.md", "# Day 3: Vision, again\n")
            .expectStatus().isEqualTo(409)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/article-exists")
            .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("PUT /api/articles/day-3"));
        assertThat(outboxTypes()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "front matter that is not YAML | ---\\ntitle: [unclosed\\n---\\n# T\\n | frontMatter",
        "a page with no title           | Only a paragraph.\\n                 | title",
        "a flag that is not a boolean   | ---\\ncomments: maybe\\n---\\n# T\\n  | comments",
    })
    void refusesAnInvalidPageNamingTheProblemAndStoresNothing(String name, String page, String field) {
        post("bad.md", page.replace("\\n", "\n"))
            .expectStatus().isEqualTo(422)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/invalid-page")
            .jsonPath("$.errors[0].field").isEqualTo(field)
            .jsonPath("$.stackTrace").doesNotExist();
        assertThat(articleCount()).isZero();
        assertThat(outboxTypes()).isEmpty();
    }

    @Test
    void refusesABodyThatIsNotUtf8() {
        byte[] latin1 = "# Café\n".getBytes(StandardCharsets.ISO_8859_1);
        client.post().uri("/api/articles").contentType(MARKDOWN).bodyValue(latin1).exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/invalid-encoding");
        assertThat(articleCount()).isZero();
    }

    @Test
    void refusesAPageOverTheSizeLimit() {
        String page = "# Big\n\n" + "word ".repeat(1000);
        post("big.md", page)
            .expectStatus().isEqualTo(413)
            .expectBody().jsonPath("$.detail").isEqualTo("A page may have at most 4096 bytes.");
        assertThat(articleCount()).isZero();
    }

    @Test
    void refusesAnEmptyPage() {
        post("empty.md", "  \n").expectStatus().isBadRequest()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/empty-page");
    }

    @Test
    void answersAnUnknownSlugWithA404Problem() {
        client.get().uri("/api/articles/no-such-day").exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/article-not-found");
    }

    @Test
    void keepsDraftsFromReaders() {
        post("day-4.md", "---\ndraft: true\n---\n# Day 4: Soon\n").expectStatus().isCreated();
        client.get().uri("/api/articles/day-4").exchange().expectStatus().isNotFound();
        assertThat(outboxTypes()).isEmpty();
    }

    @Test
    void refusesAPageSizeOfTenThousand() {
        client.get().uri("/api/articles?limit=10000").exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
    }

    @Test
    void pagesTheListWithTheCursorItGivesOut() {
        for (int day = 1; day <= 3; day++) {
            post("day-" + day + ".md", "---\ndate: 2023-10-0" + day + "\n---\n# Day " + day + ": Part\n")
                .expectStatus().isCreated();
        }
        Map<?, ?> first = client.get().uri("/api/articles?limit=2").exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((java.util.List<?>) first.get("items")).hasSize(2);

        client.get().uri(uri -> uri.path("/api/articles").queryParam("limit", 2)
                .queryParam("cursor", first.get("nextCursor")).build())
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.items[0].slug").isEqualTo("day-1")
            .jsonPath("$.items[0].commentCount").isEqualTo(0)
            .jsonPath("$.nextCursor").doesNotExist();
    }

    @ParameterizedTest(name = "cursor {0}")
    @CsvSource({ "not-a-cursor", "dHxub3R8YXwzfGRhdGU", "''" })
    void refusesACursorItDidNotGiveOut(String cursor) {
        client.get().uri(uri -> uri.path("/api/articles").queryParam("cursor", cursor).build()).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/invalid-cursor")
            .jsonPath("$.errors[0].field").isEqualTo("cursor");
    }

    @Test
    void refusesACursorOfTheNewestListForASearch() {
        String newestCursor = ArticleCursor.after(java.time.OffsetDateTime.parse("2023-10-01T00:00:00Z"),
            java.util.UUID.randomUUID()).encode();
        client.get().uri(uri -> uri.path("/api/articles").queryParam("q", "vision")
                .queryParam("cursor", newestCursor).build())
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/invalid-cursor");
    }

    @Test
    void searchesWithSnippetsAndFiltersByTag() {
        post("day-3.md", "---\ntags: [vision]\n---\n# Day 3: Vision\n\nCameras that read Tifinagh signs.\n")
            .expectStatus().isCreated();
        post("day-4.md", "---\ntags: [speech]\n---\n# Day 4: Speech\n\nDarija voices.\n")
            .expectStatus().isCreated();

        client.get().uri("/api/articles?q=tifinagh").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.items.length()").isEqualTo(1)
            .jsonPath("$.items[0].slug").isEqualTo("day-3")
            .jsonPath("$.items[0].snippet").value(snippet -> assertThat((String) snippet)
                .contains("<mark>Tifinagh</mark>"));
        client.get().uri("/api/articles?tag=speech").exchange()
            .expectBody().jsonPath("$.items[*].slug").isEqualTo(java.util.List.of("day-4"));
    }

    @Test
    void refusesAnOverlongSearch() {
        client.get().uri(uri -> uri.path("/api/articles").queryParam("q", "word ".repeat(60)).build()).exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("q");
    }

    @Test
    void refusesALimitThatIsNotANumberAsAClientMistake() {
        client.get().uri("/api/articles?limit=many").exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void answersThatNoImportFolderIsConfigured() {
        client.post().uri("/api/article-imports").exchange()
            .expectStatus().isEqualTo(409)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/no-import-folder")
            .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("MAJLIS_IMPORT_DIR"));
    }

    private WebTestClient.ResponseSpec post(String fileName, String page) {
        return ArticleRequests.post(client, fileName, page);
    }

    private long articleCount() {
        return ArticleRequests.articleCount(database);
    }

    private java.util.List<Object> outboxTypes() {
        return ArticleRequests.outboxTypes(database);
    }
}
