package ma.majlis.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/** The metric names a Grafana dashboard's Prometheus queries read. */
final class DashboardQueries {

    /** Label matchers, grouping clauses, ranges and strings: none of them names a metric. */
    private static final Pattern NOT_METRICS = Pattern.compile(
        "\\{[^}]*}|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)|\\[[^]]*]|\"[^\"]*\"");

    /** A name not followed by an opening parenthesis (a function call) nor part of a number. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without");

    private DashboardQueries() {
    }

    static List<String> expressions(Path dashboard) {
        try {
            return JsonPath.read(Files.readString(dashboard), "$.panels[*].targets[*].expr");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Set<String> metrics(Path dashboard) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions(dashboard)) {
            names.addAll(metricsIn(expression));
        }
        return names;
    }

    static Set<String> metricsIn(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(NOT_METRICS.matcher(expression).replaceAll(" "));
        while (name.find()) {
            if (!KEYWORDS.contains(name.group(1))) {
                names.add(name.group(1));
            }
        }
        return names;
    }
}
