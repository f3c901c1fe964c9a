package ma.majlis.comments.discussion;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What an operator can change about discussions (README, "Settings").
 *
 * @param maxDepth how deep replies may nest: 0 allows no replies, 1 replies to top-level comments only
 * @param maxBodyChars the longest comment, in characters of Markdown
 * @param maxNameChars the longest display name
 * @param editWindow how long the author of an anonymous comment may edit or delete it with its edit token
 * @param editTokenSecret the key that edit tokens are derived from; the same on every instance, kept secret
 * @param preModeration whether new comments wait as pending until a moderator approves them
 * @param replyPreview how many replies each comment of a page carries; more are read per thread
 * @param pageCache how much heap the pages of discussions as last read may take ({@code PageCache}); 0 keeps none
 */
@ConfigurationProperties("majlis.comments")
public record CommentSettings(@DefaultValue("5") int maxDepth, @DefaultValue("10000") int maxBodyChars,
    @DefaultValue("80") int maxNameChars, @DefaultValue("15m") Duration editWindow,
    @DefaultValue("") String editTokenSecret, @DefaultValue("false") boolean preModeration,
    @DefaultValue("3") int replyPreview, @DefaultValue("16MB") DataSize pageCache) {
}
