package ma.majlis.content.importing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MojibakeRepairTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "ðŸ§\u00A0|🧠",
        "ðŸ”¹|🔹",
        "ðŸš€|🚀",
        "â€™|’",
        "Ã©|é",
        "â€œ|“",
        "â€”|—",
        "Ã§|ç",
        "Ã€|À",
        "Â°|°",
    })
    void repairsEachDamagedFormExactly(String damaged, String repaired) {
        MojibakeRepair.Result result = MojibakeRepair.repair("x " + damaged + " y");
        assertThat(result.text()).isEqualTo("x " + repaired + " y");
        assertThat(result.repairs()).singleElement()
            .satisfies(repair -> {
                assertThat(repair.damaged()).isEqualTo(damaged);
                assertThat(repair.repaired()).isEqualTo(repaired);
                assertThat(repair.count()).isEqualTo(1);
            });
    }

    @Test
    void repairsAHeadingAsTheSeriesWasPublishedAndCountsEachForm() {
        String published = "# **ðŸ§\u00A0 Day 10: Nurturing AI Talent ðŸ§\u00A0**\n\nðŸ”¹ **Innovation Hub:** Morocco’s\n"
            + "ðŸ”¹ **Growth**\n<!-- ðŸš€ **[Explore](https://example.org)** ðŸš€ -->";
        MojibakeRepair.Result result = MojibakeRepair.repair(published);
        assertThat(result.text()).isEqualTo("# **🧠 Day 10: Nurturing AI Talent 🧠**\n\n🔹 **Innovation Hub:** "
            + "Morocco’s\n🔹 **Growth**\n<!-- 🚀 **[Explore](https://example.org)** 🚀 -->");
        assertThat(result.repairs()).extracting(MojibakeRepair.Repair::repaired, MojibakeRepair.Repair::count)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("🧠", 2),
                org.assertj.core.groups.Tuple.tuple("🔹", 2),
                org.assertj.core.groups.Tuple.tuple("🚀", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Le Maroc a lancé une stratégie « Maroc Digital 2030 » : déjà, l'été dernier, à Rabat, où ça bouge.",
        "الذكاء الاصطناعي في المغرب",
        "ⵜⴰⵎⴰⵣⵉⵖⵜ ⴷ ⵜⵓⵙⵙⵏⴰ",
        "SÃO PAULO and the Ã in a word that means it",
        "A price of 10 € — “quoted” ‘text’ … • bullets ™",
        "Already fine: 🧠 🔹 🚀 ’ é",
        "café» et «thé¡",
        "Ð and Þ are letters of Icelandic, æ of Danish: Ðóra, Þórr, Ægir",
        "ÂÂÂ",
        "",
    })
    void leavesGenuineTextAlone(String genuine) {
        MojibakeRepair.Result result = MojibakeRepair.repair(genuine);
        assertThat(result.text()).isEqualTo(genuine);
        assertThat(result.changed()).isFalse();
    }

    @Test
    void repairsTextThatWasDamagedTwice() {
        String once = "Morocco’s";
        String twice = damage(damage(once));
        assertThat(MojibakeRepair.repair(twice).text()).isEqualTo(once);
    }

    @Test
    void repairsATruncatedRunOnlyWhereItIsComplete() {
        // The last emoji lost its final byte: it stays as it is, the complete one before it is repaired.
        assertThat(MojibakeRepair.repair("ðŸš€ and ðŸš").text()).isEqualTo("🚀 and ðŸš");
    }

    private static String damage(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.Charset.forName("windows-1252"));
    }
}
