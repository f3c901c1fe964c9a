package ma.majlis.content.articles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class StartupImportTest {

    static final Path DOCS = docs();

    @DynamicPropertySource
    static void importFolder(DynamicPropertyRegistry registry) {
        registry.add("majlis.articles.import-directory", DOCS::toString);
    }

    @AfterAll
    static void removeDocs() throws IOException {
        try (var files = Files.walk(DOCS)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    StartupImport startupImport;

    @Test
    void importsTheFolderBeforeTakingTrafficAndSkipsABrokenPageWithoutStoppingTheOthers() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
        client.get().uri("/actuator/health/readiness").exchange().expectBody()
            .jsonPath("$.components.articleImport.status").isEqualTo("UP");

        client.get().uri("/api/articles/day-5-robots-in-the-souk").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.title").isEqualTo("Day 5: Robots in the Souk");
        client.get().uri("/api/articles/day-6").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.commentsEnabled").isEqualTo(false);
        client.get().uri("/api/articles/broken").exchange().expectStatus().isNotFound();

        long announced = outboxRows();
        startupImport.run(null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
        assertThat(outboxRows()).as("an unchanged folder announces nothing").isEqualTo(announced);
    }

    @Test
    void importsTheFolderAgainWhenAnEditorAsksAndReportsWhatEachPageBecame() throws IOException {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
        Path added = DOCS.resolve("day-7-pulled-later.md");
        Files.writeString(added, "# Day 7: Pulled Later\n\nItâ€™s new.\n", StandardCharsets.UTF_8);
        try {
            client.post().uri("/api/article-imports").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.pages").isEqualTo(4)
                .jsonPath("$.created").isEqualTo(1)
                .jsonPath("$.unchanged").isEqualTo(2)
                .jsonPath("$.problems").isEqualTo(1)
                .jsonPath("$.outcomes[?(@.file == 'broken.md')].problem").value(problem ->
                    assertThat(problem.toString()).contains("not valid YAML"))
                .jsonPath("$.outcomes[?(@.file == 'day-7-pulled-later.md')].repairs[0].repaired").isEqualTo("’");
            client.get().uri("/api/articles/day-7-pulled-later").exchange().expectStatus().isOk();
        }
        finally {
            Files.delete(added);
        }
    }

    private long outboxRows() {
        Map<String, Object> row = database.sql("select count(*) as n from outbox where subject in "
            + "('day-5-robots-in-the-souk', 'day-6')").fetch().one().block(Duration.ofSeconds(10));
        return (Long) row.get("n");
    }

    private static Path docs() {
        try {
            Path docs = Files.createTempDirectory("majlis-docs-");
            Files.writeString(docs.resolve("day-5-robots-in-the-souk.md"),
                "---\ncomments: true\n---\n# Day 5: Robots in the Souk\n\nText.\n", StandardCharsets.UTF_8);
            Files.createDirectories(docs.resolve("day-6"));
            Files.writeString(docs.resolve("day-6/index.md"),
                "---\ncomments: false\n---\n# Day 6: Quiet Day\n", StandardCharsets.UTF_8);
            Files.writeString(docs.resolve("broken.md"), "---\ntitle: [never closed\n---\n# Broken\n",
                StandardCharsets.UTF_8);
            Files.writeString(docs.resolve("notes.txt"), "not a page", StandardCharsets.UTF_8);
            return docs;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
