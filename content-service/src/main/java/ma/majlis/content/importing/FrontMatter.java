package ma.majlis.content.importing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The YAML block between {@code ---} lines at the top of an MkDocs page, and the Markdown after it.
 *
 * @param values the front matter's keys, in the order written; empty when the page has none
 * @param body the Markdown that follows the front matter
 */
public record FrontMatter(Map<String, Object> values, String body) {

    private static final Pattern BLOCK = Pattern.compile("\\A---[ \\t]*\\r?\\n(.*?)(?:\\r?\\n)?^(?:---|\\.\\.\\.)[ \\t]*(?:\\r?\\n|\\z)",
        Pattern.DOTALL | Pattern.MULTILINE);

    /** Splits {@code page} into front matter and body; a page without front matter is all body. */
    public static FrontMatter parse(String page) {
        Matcher matcher = BLOCK.matcher(page);
        if (!matcher.find()) {
            if (page.startsWith("---\n") || page.startsWith("---\r\n")) {
                throw new ImportProblem("frontMatter",
                    "The front matter opened with --- is never closed: end it with a line of ---.");
            }
            return new FrontMatter(Map.of(), page);
        }
        return new FrontMatter(yaml(matcher.group(1)), page.substring(matcher.end()));
    }

    private static Map<String, Object> yaml(String text) {
        LoaderOptions options = new LoaderOptions();
        // A page is a few lines of settings: refuse alias bombs and oversized blocks outright.
        options.setMaxAliasesForCollections(10);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(64 * 1024);
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(options)).load(text);
        }
        catch (MarkedYAMLException ex) {
            throw new ImportProblem("frontMatter", "The front matter is not valid YAML: " + ex.getProblem()
                + " (line " + (ex.getProblemMark() == null ? "?" : ex.getProblemMark().getLine() + 2) + ").");
        }
        catch (YAMLException ex) {
            throw new ImportProblem("frontMatter", "The front matter is not valid YAML: " + ex.getMessage());
        }
        if (loaded == null) {
            return Map.of();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new ImportProblem("frontMatter",
                "The front matter must be YAML keys and values (such as comments: true), not a single value.");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((key, value) -> values.put(String.valueOf(key), value));
        return values;
    }
}
