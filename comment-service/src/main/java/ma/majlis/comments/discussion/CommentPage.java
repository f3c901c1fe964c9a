package ma.majlis.comments.discussion;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A page of a discussion.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last one
 * @param lastSeq the article's stream position when the page was read: open the stream with
 * {@code Last-Event-ID} (or {@code ?lastEventId=}) set to it to hear of every change after the page
 */
public record CommentPage(List<CommentView> items, @Nullable String nextCursor, long lastSeq) {
}
