package ma.majlis.content.articles;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ma.majlis.content.importing.ImportedPage;
import ma.majlis.content.importing.PageImporter;
import ma.majlis.platform.outbox.OutboxWriter;
import ma.majlis.content.rendering.MarkdownRenderer;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@DataR2dbcTest
@ImportRealInfrastructure
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ ArticleStore.class, OutboxWriter.class })
class ArticleStoreTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    final PageImporter importer = new PageImporter(true, "ML & DL Morocco Challenges");

    final MarkdownRenderer renderer = new MarkdownRenderer();

    @Autowired
    ArticleStore store;

    @Autowired
    DatabaseClient database;

    @Autowired
    TransactionalOperator transaction;

    @Autowired
    JsonMapper json;

    @BeforeEach
    void empty() {
        database.sql("delete from outbox").then().then(database.sql("delete from article").then()).block(WAIT);
    }

    @Test
    void storesANewPageAsPublishedAndAnnouncesItOnce() {
        ArticleStore.Saved saved = save("day-10.md", "# Day 10: Nurturing AI Talent\n\nText.");

        assertThat(saved.outcome()).isEqualTo(ArticleStore.Outcome.CREATED);
        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.status()).isEqualTo("published");
        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.get("type")).isEqualTo(ArticleEvent.PUBLISHED);
            assertThat(event.get("aggregateid")).isEqualTo(saved.id().toString());
            assertThat(event.get("subject")).isEqualTo("day-10");
            assertThat(payload(event)).containsEntry("id", saved.id().toString())
                .containsEntry("slug", "day-10")
                .containsEntry("title", "Day 10: Nurturing AI Talent")
                .containsEntry("version", 1)
                .containsEntry("commentsEnabled", true)
                .containsEntry("status", "published")
                .containsKey("publishedAt");
        });
        Map<String, Object> row = database.sql("select series, day, html, toc::text as toc from article").fetch().one()
            .block(WAIT);
        assertThat(row).containsEntry("series", "ML & DL Morocco Challenges").containsEntry("day", 10);
        assertThat(row.get("html")).asString().contains("<h1 id=\"day-10-nurturing-ai-talent\">");
        assertThat(row.get("toc")).asString().contains("\"anchor\": \"day-10-nurturing-ai-talent\"");
    }

    @Test
    void importingTheSamePageAgainChangesNothingAndAnnouncesNothing() {
        String page = "---\ncomments: true\n---\n# Day 10: Nurturing AI Talent\n\nText.";
        ArticleStore.Saved first = save("day-10.md", page);
        ArticleStore.Saved again = save("day-10.md", page);

        assertThat(again.outcome()).isEqualTo(ArticleStore.Outcome.UNCHANGED);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.version()).isEqualTo(1);
        assertThat(events()).hasSize(1);
    }

    @Test
    void aChangedPageBecomesTheNextVersionAndIsAnnouncedAsUpdated() {
        ArticleStore.Saved first = save("day-10.md", "# Day 10: Nurturing AI Talent\n\nText.");
        ArticleStore.Saved second = save("day-10.md", "# Day 10: Nurturing AI Talent\n\nBetter text.");

        assertThat(second.outcome()).isEqualTo(ArticleStore.Outcome.UPDATED);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.version()).isEqualTo(2);
        assertThat(events()).extracting(event -> event.get("type"))
            .containsExactly(ArticleEvent.PUBLISHED, ArticleEvent.UPDATED);
        assertThat(payload(events().get(1))).containsEntry("version", 2);
    }

    @Test
    void keepsADraftQuietUntilItIsPublished() {
        save("day-11.md", "---\ndraft: true\n---\n# Day 11: Vision\n");
        assertThat(events()).isEmpty();
        save("day-11.md", "---\ndraft: false\n---\n# Day 11: Vision\n");
        assertThat(events()).extracting(event -> event.get("type")).containsExactly(ArticleEvent.PUBLISHED);
    }

    @Test
    void storesNothingWhenTheAnnouncementCannotBeWritten() {
        OutboxWriter broken = new OutboxWriter(database, json) {
            @Override
            public Mono<UUID> append(String type, String id, String eventType, String subject, Object data) {
                return Mono.error(new IllegalStateException("outbox unavailable"));
            }
        };
        ArticleStore storeWithBrokenOutbox = new ArticleStore(database, transaction, broken, json);
        String source = "# Day 12: Data\n";
        ImportedPage page = importer.read("day-12.md", source);

        Throwable failure = storeWithBrokenOutbox.importPage(page, renderer.render(page.markdown()), source)
            .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(WAIT);

        assertThat(failure).hasMessage("outbox unavailable");
        assertThat(database.sql("select count(*) as n from article").fetch().one().block(WAIT))
            .containsEntry("n", 0L);
    }

    private ArticleStore.Saved save(String fileName, String source) {
        ImportedPage page = importer.read(fileName, source);
        return store.importPage(page, renderer.render(page.markdown()), source).block(WAIT);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> payload(Map<String, Object> event) {
        return json.readValue((String) event.get("payload"), Map.class);
    }

    private List<Map<String, Object>> events() {
        return database.sql("select type, aggregateid, subject, payload::text as payload from outbox order by position")
            .fetch().all().collectList().block(WAIT);
    }
}
