package ma.majlis.content.importing;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import ma.majlis.content.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageImporterTest {

    static final String SERIES = "ML & DL Morocco Challenges";

    final PageImporter importer = new PageImporter(false, SERIES);

    @Test
    void importsAPageOfTheSeriesAsItWasPublishedMojibakeAndAll() {
        ImportedPage page = importer.read("docs/day-12-data-for-darija.md", Fixtures.page("day-12-data-for-darija.md"));

        assertThat(page.slug()).isEqualTo("day-12-data-for-darija");
        assertThat(page.title()).isEqualTo("🧠 Day 12: Data for Darija 🧠");
        assertThat(page.series()).isEqualTo(SERIES);
        assertThat(page.day()).isEqualTo(12);
        assertThat(page.commentsEnabled()).isTrue();
        assertThat(page.markdown()).isEqualTo(Fixtures.page("day-12-data-for-darija.repaired.md").replaceFirst("\\A", "\n"));
        assertThat(page.repairs()).extracting(MojibakeRepair.Repair::repaired, MojibakeRepair.Repair::count)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("🧠", 2),
                org.assertj.core.groups.Tuple.tuple("🔹", 2),
                org.assertj.core.groups.Tuple.tuple("🚀", 2),
                org.assertj.core.groups.Tuple.tuple("—", 1),
                org.assertj.core.groups.Tuple.tuple("’", 1));
    }

    @Test
    void readsEveryFrontMatterKeyAndKeepsTheUnknownOnesAsMetadata() {
        ImportedPage page = importer.read("guide.md", """
            ---
            title: Teaching Machines in Tamazight
            description: A guide to the first Tifinagh corpus.
            tags: [nlp, tamazight, nlp]
            date: 2023-10-12
            draft: true
            comments: false
            hide: [navigation]
            authors:
              - salma
            ---
            # Another heading

            Body.
            """);
        assertThat(page.title()).isEqualTo("Teaching Machines in Tamazight");
        assertThat(page.slug()).isEqualTo("guide");
        assertThat(page.description()).isEqualTo("A guide to the first Tifinagh corpus.");
        assertThat(page.tags()).containsExactly("nlp", "tamazight");
        assertThat(page.date()).isEqualTo(LocalDate.of(2023, 10, 12));
        assertThat(page.draft()).isTrue();
        assertThat(page.commentsEnabled()).isFalse();
        assertThat(page.metadata()).containsExactly(Map.entry("hide", List.of("navigation")),
            Map.entry("authors", List.of("salma")));
        assertThat(page.series()).isNull();
        assertThat(page.day()).isNull();
    }

    @Test
    void opensCommentsByTheConfiguredDefaultWhenTheFrontMatterIsSilent() {
        String page = "# Day 3: Vision\n\nText.";
        assertThat(new PageImporter(true, SERIES).read(null, page).commentsEnabled()).isTrue();
        assertThat(new PageImporter(false, SERIES).read(null, page).commentsEnabled()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "day-10-nurturing-ai-talent.md | day-10-nurturing-ai-talent",
        "docs/challenges/day-11/index.md | day-11",
        "Day 9 Éthique & IA.md | day-9-ethique-ia",
        "C:\\docs\\notes.markdown | notes",
    })
    void takesTheSlugFromTheFileName(String fileName, String slug) {
        assertThat(importer.read(fileName, "# A title\n").slug()).isEqualTo(slug);
    }

    @Test
    void takesTheSlugFromTheTitleWithoutAFileName() {
        assertThat(importer.read(null, "---\ntitle: \"🚀 Day 20: L'IA au Maroc, été 2024\"\n---\n").slug())
            .isEqualTo("day-20-l-ia-au-maroc-ete-2024");
    }

    @Test
    void findsTheTitleInTheFirstHeadingOutsideCodeAndWithoutItsMarkup() {
        ImportedPage page = importer.read(null, """
            Intro line.

            ```markdown
            # Not this one
            ```

            # **Day 7: `Generative` _Models_** #
            """);
        assertThat(page.title()).isEqualTo("Day 7: Generative Models");
        assertThat(page.day()).isEqualTo(7);
    }

    @Test
    void refusesAPageWithNoTitle() {
        assertThatThrownBy(() -> importer.read("x.md", "Just text.\n\n## A second-level heading\n"))
            .isInstanceOf(ImportProblem.class)
            .hasMessageContaining("no title")
            .extracting(problem -> ((ImportProblem) problem).field()).isEqualTo("title");
    }

    @Test
    void refusesFrontMatterThatIsNotYaml() {
        assertThatThrownBy(() -> importer.read("x.md", "---\ntitle: [unclosed\ncomments: true\n---\n# T\n"))
            .isInstanceOf(ImportProblem.class)
            .hasMessageStartingWith("The front matter is not valid YAML")
            .extracting(problem -> ((ImportProblem) problem).field()).isEqualTo("frontMatter");
    }

    @Test
    void refusesFrontMatterThatIsNeverClosed() {
        assertThatThrownBy(() -> importer.read("x.md", "---\ncomments: true\n# Title\n"))
            .hasMessageContaining("never closed");
    }

    @Test
    void refusesAFrontMatterFlagThatIsNotABoolean() {
        assertThatThrownBy(() -> importer.read("x.md", "---\ncomments: sometimes\n---\n# T\n"))
            .hasMessage("The front matter's comments must be true or false; it is 'sometimes'.");
    }

    @Test
    void refusesAYamlAliasBomb() {
        String bomb = """
            ---
            a: &a ["x","x","x","x","x","x","x","x","x"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            ---
            # T
            """;
        assertThatThrownBy(() -> importer.read("x.md", bomb)).isInstanceOf(ImportProblem.class);
    }

    @Test
    void acceptsAWindowsLineEndedPageWithAByteOrderMark() {
        ImportedPage page = importer.read("w.md", "\uFEFF---\r\ncomments: true\r\n---\r\n# Title\r\n");
        assertThat(page.commentsEnabled()).isTrue();
        assertThat(page.title()).isEqualTo("Title");
    }

    @Test
    void readsAPageGivenAsFieldsLikeTheSameKeysInFrontMatter() {
        ImportedPage page = importer.fromFields(java.util.Map.of("slug", "day-14-fields", "title", "Day 14: Fields",
            "tags", java.util.List.of("json", "api"), "comments", false, "draft", true,
            "metadata", java.util.Map.of("author", "Majlis"), "markdown", "Itâ€™s a body."));

        assertThat(page.slug()).isEqualTo("day-14-fields");
        assertThat(page.day()).isEqualTo(14);
        assertThat(page.tags()).containsExactly("json", "api");
        assertThat(page.commentsEnabled()).isFalse();
        assertThat(page.draft()).isTrue();
        assertThat(page.metadata()).containsEntry("author", "Majlis");
        assertThat(page.markdown()).isEqualTo("It’s a body.");
        assertThat(page.repairs()).extracting(MojibakeRepair.Repair::repaired).containsExactly("’");
    }

    @Test
    void takesTheTitleOfFieldsFromTheFirstHeadingAndTheSlugFromTheTitle() {
        ImportedPage page = importer.fromFields(java.util.Map.of("markdown", "# Day 15: Heading Only\n\nText."));

        assertThat(page.title()).isEqualTo("Day 15: Heading Only");
        assertThat(page.slug()).isEqualTo("day-15-heading-only");
    }

    @Test
    void refusesFieldsWithoutMarkdownOrWithASlugThatIsNotOne() {
        assertThatThrownBy(() -> importer.fromFields(java.util.Map.of("title", "T")))
            .isInstanceOf(ImportProblem.class).extracting("field").isEqualTo("markdown");
        assertThatThrownBy(() -> importer.fromFields(java.util.Map.of("slug", "../etc/passwd", "markdown", "# T")))
            .isInstanceOf(ImportProblem.class).extracting("field").isEqualTo("slug");
        assertThatThrownBy(() -> importer.fromFields(java.util.Map.of("metadata", "text", "markdown", "# T")))
            .isInstanceOf(ImportProblem.class).extracting("field").isEqualTo("metadata");
    }
}
