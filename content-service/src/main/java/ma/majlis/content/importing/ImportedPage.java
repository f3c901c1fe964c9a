package ma.majlis.content.importing;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An MkDocs page read and repaired, ready to render and store.
 *
 * @param slug the article's address, from the file name or else the title
 * @param title the title, from the front matter or else the first {@code # } heading
 * @param description the front matter's description, if any
 * @param series the series the page belongs to, when it names one or its title is numbered ("Day 10: …")
 * @param day the day number in the series, if the title carries one
 * @param tags the front matter's tags
 * @param date the front matter's date, if any
 * @param draft whether the page is a draft (front matter {@code draft: true})
 * @param commentsEnabled whether readers may comment: the front matter's {@code comments}, else the default
 * @param metadata every other front-matter key, as written
 * @param markdown the body, repaired, without front matter
 * @param repairs the mojibake that was repaired
 */
public record ImportedPage(String slug, String title, @Nullable String description, @Nullable String series,
    @Nullable Integer day, List<String> tags, @Nullable LocalDate date, boolean draft, boolean commentsEnabled,
    Map<String, Object> metadata, String markdown, List<MojibakeRepair.Repair> repairs) {
}
