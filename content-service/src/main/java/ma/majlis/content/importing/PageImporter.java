package ma.majlis.content.importing;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads an MkDocs Material page as its author wrote it: front matter, title, slug, series and day, with
 * mojibake repaired. Rendering is not its business.
 */
public final class PageImporter {

    /** What an article's address may look like: lower-case words joined by hyphens. */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    public static final int MAX_SLUG_LENGTH = 120;

    private static final int MAX_TITLE_LENGTH = 300;

    private static final Set<String> KNOWN_KEYS = Set.of("comments", "title", "description", "tags", "date", "draft",
        "series");

    private static final Pattern HEADING = Pattern.compile("^#[ \\t]+(.+?)[ \\t#]*$", Pattern.MULTILINE);

    private static final Pattern DAY = Pattern.compile("\\bDay\\s+(\\d{1,4})\\s*[:\\-–—]\\s*\\S",
        Pattern.CASE_INSENSITIVE);

    private static final Pattern EMPHASIS = Pattern.compile("(\\*\\*|__|\\*|_|`+)(.+?)\\1");

    private final boolean commentsByDefault;

    private final String numberedSeries;

    /**
     * @param commentsByDefault whether a page without {@code comments:} in its front matter is open for comments
     * @param numberedSeries the series a page belongs to when its title is numbered ("Day 10: …") and its front
     * matter names no series
     */
    public PageImporter(boolean commentsByDefault, String numberedSeries) {
        this.commentsByDefault = commentsByDefault;
        this.numberedSeries = numberedSeries;
    }

    /**
     * @param fileName the page's file name ({@code day-10-nurturing-ai-talent.md}), or null when it came without
     * @param page the whole page as text
     */
    public ImportedPage read(@Nullable String fileName, String page) {
        MojibakeRepair.Result repaired = MojibakeRepair.repair(stripByteOrderMark(page));
        FrontMatter frontMatter = FrontMatter.parse(repaired.text());
        return build(fileName, frontMatter.values(), frontMatter.body(), repaired.repairs());
    }

    /**
     * Reads a page sent as fields (JSON) rather than as a file: {@code markdown} is the body, {@code slug} (optional)
     * the address, and every other field means what the same front-matter key means.
     */
    public ImportedPage fromFields(Map<String, ?> fields) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<MojibakeRepair.Repair> repairs = new ArrayList<>();
        fields.forEach((key, value) -> {
            if (value instanceof String text) {
                MojibakeRepair.Result repaired = MojibakeRepair.repair(text);
                repairs.addAll(repaired.repairs());
                values.put(key, repaired.text());
            }
            else if (value != null) {
                values.put(key, value);
            }
        });
        Object markdown = values.remove("markdown");
        if (!(markdown instanceof String body) || body.isBlank()) {
            throw new ImportProblem("markdown", "Give the article's Markdown body as the text field 'markdown'.");
        }
        Object slug = values.remove("slug");
        if (slug != null && (!(slug instanceof String text) || !SLUG.matcher(text).matches()
            || text.length() > MAX_SLUG_LENGTH)) {
            throw new ImportProblem("slug", "The slug must be lower-case letters, digits and single hyphens, at most "
                + MAX_SLUG_LENGTH + " characters, such as day-10-nurturing-ai-talent.");
        }
        Object metadata = values.remove("metadata");
        if (metadata instanceof Map<?, ?> extra) {
            extra.forEach((key, value) -> values.putIfAbsent(String.valueOf(key), value));
        }
        else if (metadata != null) {
            throw new ImportProblem("metadata", "metadata must be an object of further keys and values.");
        }
        return build((String) slug, values, stripByteOrderMark(body), MojibakeRepair.merge(repairs));
    }

    private ImportedPage build(@Nullable String fileName, Map<String, Object> values, String body,
        List<MojibakeRepair.Repair> repairs) {
        String title = text(values, "title");
        if (title == null) {
            title = firstHeading(body);
        }
        if (title == null) {
            throw new ImportProblem("title",
                "The page has no title: give it a title: in the front matter or a first heading starting with '# '.");
        }
        if (title.length() > MAX_TITLE_LENGTH) {
            throw new ImportProblem("title", "The title is longer than " + MAX_TITLE_LENGTH + " characters.");
        }

        String slug = fileName != null && !fileName.isBlank() ? slugFromFileName(fileName) : slugify(title);
        if (slug.isEmpty() || slug.length() > MAX_SLUG_LENGTH || !SLUG.matcher(slug).matches()) {
            throw new ImportProblem("slug", "No usable address (slug) comes from "
                + (fileName != null ? "the file name '" + fileName + "'" : "the title")
                + ": use lower-case letters, digits and hyphens, at most " + MAX_SLUG_LENGTH + " characters.");
        }

        Integer day = null;
        Matcher numbered = DAY.matcher(title);
        if (numbered.find()) {
            day = Integer.valueOf(numbered.group(1));
        }
        String series = text(values, "series");
        if (series == null && day != null) {
            series = numberedSeries;
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!KNOWN_KEYS.contains(key)) {
                metadata.put(key, plain(value));
            }
        });

        return new ImportedPage(slug, title, text(values, "description"), series, day, tags(values),
            date(values), flag(values, "draft", false), flag(values, "comments", commentsByDefault), metadata,
            body, repairs);
    }

    /** A slug made from any title: accents dropped, emoji and punctuation become hyphens. */
    public static String slugify(String title) {
        String ascii = Normalizer.normalize(title, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG_LENGTH) {
            slug = slug.substring(0, MAX_SLUG_LENGTH).replaceAll("-+$", "");
        }
        return slug;
    }

    private static String slugFromFileName(String fileName) {
        String name = fileName.replace('\\', '/');
        String[] parts = name.split("/");
        String last = parts[parts.length - 1].replaceFirst("(?i)\\.(md|markdown)$", "");
        if (last.equalsIgnoreCase("index") && parts.length > 1) {
            // MkDocs serves docs/day-10/index.md at /day-10/: the folder is the page's name.
            last = parts[parts.length - 2];
        }
        return slugify(last);
    }

    private static @Nullable String firstHeading(String markdown) {
        boolean fenced = false;
        for (String line : markdown.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String text = unemphasise(heading.group(1)).strip();
                    return text.isEmpty() ? null : text;
                }
            }
        }
        return null;
    }

    private static String unemphasise(String text) {
        String previous;
        String current = text;
        do {
            previous = current;
            current = EMPHASIS.matcher(current).replaceAll("$2");
        }
        while (!current.equals(previous));
        return current;
    }

    private static String stripByteOrderMark(String page) {
        return page.startsWith("\uFEFF") ? page.substring(1) : page;
    }

    private static @Nullable String text(Map<String, Object> values, String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new ImportProblem(key, "The front matter's " + key + " must be text.");
        }
        String text = String.valueOf(value).strip();
        return text.isEmpty() ? null : text;
    }

    private static boolean flag(Map<String, Object> values, String key, boolean fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new ImportProblem(key, "The front matter's " + key + " must be true or false; it is '" + value + "'.");
    }

    private static List<String> tags(Map<String, Object> values) {
        Object value = values.get("tags");
        List<String> tags = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object tag : list) {
                if (tag instanceof Map || tag instanceof List || tag == null) {
                    throw new ImportProblem("tags", "Each of the front matter's tags must be a word or phrase.");
                }
                String text = String.valueOf(tag).strip();
                if (!text.isEmpty() && !tags.contains(text)) {
                    tags.add(text);
                }
            }
        }
        else if (value != null) {
            String text = String.valueOf(value).strip();
            if (!text.isEmpty()) {
                tags.add(text);
            }
        }
        return List.copyOf(tags);
    }

    private static @Nullable LocalDate date(Map<String, Object> values) {
        Object value = values.get("date");
        if (value == null) {
            return null;
        }
        if (value instanceof Date date) {
            // SnakeYAML reads 2023-10-10 as midnight UTC.
            return date.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        }
        if (value instanceof Map<?, ?> blogDates && blogDates.get("created") != null) {
            // MkDocs Material's blog plugin writes date: {created: …, updated: …}.
            return date(Map.of("date", blogDates.get("created")));
        }
        String text = String.valueOf(value).strip();
        try {
            // A date-time such as 2023-10-10T08:00 counts by its day.
            return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
        }
        catch (DateTimeParseException ex) {
            throw new ImportProblem("date", "The front matter's date must look like 2023-10-10; it is '" + value + "'.");
        }
    }

    /** Front-matter values as JSON can hold them: dates become ISO text. */
    private static Object plain(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v == null ? null : plain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> v == null ? null : plain(v)).toList();
        }
        if (value instanceof byte[]) {
            return "(binary)";
        }
        return value;
    }
}
