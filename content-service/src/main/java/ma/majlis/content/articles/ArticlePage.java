package ma.majlis.content.articles;

import java.util.List;

/** A bounded page of articles, newest first. */
public record ArticlePage(List<ArticleSummary> items) {
}
