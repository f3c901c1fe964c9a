package ma.majlis.content.articles;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What an operator can change about articles (README, "Settings").
 *
 * @param commentsByDefault whether a page without {@code comments:} in its front matter opens a discussion
 * @param numberedSeries the series of pages titled "Day N: …" whose front matter names none
 * @param maxPageBytes the largest page accepted, in bytes
 * @param importDirectory a folder of Markdown pages (an MkDocs {@code docs/} tree) imported at start-up; empty
 * for none
 */
@ConfigurationProperties("majlis.articles")
public record ArticleSettings(@DefaultValue("false") boolean commentsByDefault,
    @DefaultValue("ML & DL Morocco Challenges") String numberedSeries,
    @DefaultValue("524288") int maxPageBytes, @DefaultValue("") String importDirectory) {
}
