package ma.majlis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** RESULTS.md as it is written: sections of prose and tables, and the targets with whether each was met. */
final class Results {

    private final StringBuilder text = new StringBuilder();

    private final List<String[]> targets = new ArrayList<>();

    Results line(String line) {
        text.append(line).append('\n');
        return this;
    }

    Results heading(String heading) {
        text.append('\n').append("## ").append(heading).append("\n\n");
        return this;
    }

    Results table(String... header) {
        row(header);
        String[] rule = new String[header.length];
        Arrays.fill(rule, "---");
        return row(rule);
    }

    Results row(String... cells) {
        text.append("| ").append(String.join(" | ", cells)).append(" |\n");
        return this;
    }

    /** A target, what was measured against it, and whether it was met. */
    void target(String target, String measured, boolean met) {
        targets.add(new String[] {target, measured, met ? "met" : "**missed**"});
    }

    List<String[]> targets() {
        return targets;
    }

    String text() {
        return text.toString();
    }
}
