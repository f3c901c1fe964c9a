package ma.majlis.content.rendering;

/** One heading of an article: its level (1–6), its text, and the anchor that links to it. */
public record TocEntry(int level, String text, String anchor) {
}
