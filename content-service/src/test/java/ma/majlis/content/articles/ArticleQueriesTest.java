package ma.majlis.content.articles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ma.majlis.content.importing.ImportedPage;
import ma.majlis.content.importing.PageImporter;
import ma.majlis.platform.outbox.OutboxWriter;
import ma.majlis.content.rendering.MarkdownRenderer;
import ma.majlis.testing.ImportRealInfrastructure;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

@DataR2dbcTest
@ImportRealInfrastructure
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ ArticleQueries.class, ArticleStore.class, OutboxWriter.class })
class ArticleQueriesTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static final ArticleFilter ALL = new ArticleFilter(null, List.of(), null);

    final PageImporter importer = new PageImporter(true, "ML & DL Morocco Challenges");

    final MarkdownRenderer renderer = new MarkdownRenderer();

    @Autowired
    DatabaseClient database;

    @Autowired
    ArticleQueries queries;

    @Autowired
    ArticleStore store;

    @BeforeEach
    void empty() {
        database.sql("delete from outbox").then().then(database.sql("delete from article").then()).block(WAIT);
    }

    @Test
    void listsPublishedArticlesNewestFirstAndLeavesDraftsOut() {
        save("day-1", "2023-10-01", "", "Day 1: AI in Morocco", "Text.");
        save("day-10", "2023-10-10", "", "Day 10: Nurturing AI Talent", "Text.");
        save("day-11", "2023-10-11", "draft: true\n", "Day 11: Unfinished", "Text.");

        ArticlePage page = list(ALL, null, 10);

        assertThat(page.items()).extracting(ArticleSummary::slug).containsExactly("day-10", "day-1");
        assertThat(page.nextCursor()).isNull();
        assertThat(page.items().get(0)).satisfies(item -> {
            assertThat(item.series()).isEqualTo("ML & DL Morocco Challenges");
            assertThat(item.day()).isEqualTo(10);
            assertThat(item.commentCount()).isZero();
            assertThat(item.snippet()).isNull();
        });
    }

    @Test
    void pagesByKeysetSoThatAnArticlePublishedMeanwhileNeitherShiftsNorRepeatsTheNextPage() {
        for (int day = 1; day <= 5; day++) {
            save("day-" + day, "2023-10-0" + day, "", "Day " + day + ": Part " + day, "Text.");
        }
        ArticlePage first = list(ALL, null, 2);
        assertThat(first.items()).extracting(ArticleSummary::slug).containsExactly("day-5", "day-4");
        assertThat(first.nextCursor()).isNotNull();

        save("day-6", "2023-10-06", "", "Day 6: Published meanwhile", "Text.");

        ArticlePage second = list(ALL, ArticleCursor.decode(first.nextCursor()).orElseThrow(), 2);
        assertThat(second.items()).extracting(ArticleSummary::slug).containsExactly("day-3", "day-2");
        ArticlePage last = list(ALL, ArticleCursor.decode(second.nextCursor()).orElseThrow(), 2);
        assertThat(last.items()).extracting(ArticleSummary::slug).containsExactly("day-1");
        assertThat(last.nextCursor()).as("the last page says there is no other").isNull();
    }

    @Test
    void articlesPublishedAtTheSameMomentArePagedByIdWithoutLossOrRepeat() {
        for (int i = 1; i <= 5; i++) {
            save("same-day-" + i, "2023-10-10", "", "Same day " + i, "Text.");
        }
        assertThat(allPages(ALL, 2)).containsExactlyInAnyOrder("same-day-1", "same-day-2", "same-day-3",
            "same-day-4", "same-day-5");
    }

    @Test
    void filtersBySeriesAndByEveryTagGiven() {
        save("day-1", "2023-10-01", "tags: [education, darija]\n", "Day 1: Schools", "Text.");
        save("day-2", "2023-10-02", "tags: [education]\n", "Day 2: Teachers", "Text.");
        save("about", "2023-10-03", "tags: [education, darija]\n", "About this site", "Text.");

        assertThat(list(new ArticleFilter("ML & DL Morocco Challenges", List.of(), null), null, 10).items())
            .extracting(ArticleSummary::slug).containsExactly("day-2", "day-1");
        assertThat(list(new ArticleFilter(null, List.of("education", "darija"), null), null, 10).items())
            .extracting(ArticleSummary::slug).containsExactly("about", "day-1");
        assertThat(list(new ArticleFilter("ML & DL Morocco Challenges", List.of("darija"), null), null, 10).items())
            .extracting(ArticleSummary::slug).containsExactly("day-1");
        assertThat(list(new ArticleFilter("Another series", List.of(), null), null, 10).items()).isEmpty();
    }

    @Test
    void searchRanksATitleMatchAboveABodyMatchAndLeavesOutArticlesWithoutIt() {
        save("day-3", "2023-10-03", "", "Day 3: Couscous and computer vision", "Sorting grains by camera.");
        save("day-4", "2023-10-04", "", "Day 4: Farming",
            "Drones over the fields.\n\nA model that tells good couscous grain from bad one.");
        save("day-5", "2023-10-05", "", "Day 5: Language", "Darija speech recognition.");

        ArticlePage page = list(new ArticleFilter(null, List.of(), "couscous"), null, 10);

        assertThat(page.items()).extracting(ArticleSummary::slug).containsExactly("day-3", "day-4");
        assertThat(page.items().get(1).snippet()).contains("<mark>couscous</mark>");
    }

    @Test
    void searchMatchesWordFormsAndTheSnippetShowsArticleTextAsTextNeverAsMarkup() {
        save("day-7", "2023-10-07", "", "Day 7: Safe pages",
            "Writing `<script>alert(1)</script>` in a page never runs it; R&D models are trained on careful pages.");

        ArticleSummary found = list(new ArticleFilter(null, List.of(), "training model"), null, 10).items().get(0);

        assertThat(found.slug()).isEqualTo("day-7");
        assertThat(found.snippet()).contains("<mark>models</mark>", "<mark>trained</mark>", "R&amp;D")
            .doesNotContain("<script", "R&D");
    }

    @Test
    void searchResultsArePagedByRankWithoutLossOrRepeat() {
        for (int i = 1; i <= 5; i++) {
            save("oasis-" + i, "2023-10-0" + i, "", "Oasis " + i, "Water in the oasis " + "oasis ".repeat(i % 3));
        }
        save("desert", "2023-10-09", "", "Desert", "Sand only.");

        assertThat(allPages(new ArticleFilter(null, List.of(), "oasis"), 2))
            .containsExactlyInAnyOrder("oasis-1", "oasis-2", "oasis-3", "oasis-4", "oasis-5");
    }

    private List<String> allPages(ArticleFilter filter, int limit) {
        List<String> slugs = new ArrayList<>();
        ArticleCursor cursor = null;
        do {
            ArticlePage page = list(filter, cursor, limit);
            page.items().forEach(item -> slugs.add(item.slug()));
            cursor = page.nextCursor() == null ? null : ArticleCursor.decode(page.nextCursor()).orElseThrow();
        }
        while (cursor != null);
        return slugs;
    }

    private ArticlePage list(ArticleFilter filter, @Nullable ArticleCursor cursor, int limit) {
        return queries.list(filter, cursor, limit).block(WAIT);
    }

    private void save(String slug, String date, String frontMatter, String title, String body) {
        String source = "---\ndate: " + date + "\n" + frontMatter + "---\n# " + title + "\n\n" + body + "\n";
        ImportedPage page = importer.read(slug + ".md", source);
        store.importPage(page, renderer.render(page.markdown()), source).block(WAIT);
    }
}
