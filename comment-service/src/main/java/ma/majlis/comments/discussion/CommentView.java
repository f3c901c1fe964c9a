package ma.majlis.comments.discussion;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A comment as readers see it. A deleted or hidden comment that has replies stays in its thread with no author and
 * no body, so the replies keep their place.
 *
 * @param seq the comment's position in its article's stream (the id of its {@code comment.created} event)
 * @param depth 0 for a top-level comment, 1 for a reply to one, and so on
 * @param replyCount how many published replies it has
 * @param replies its first replies, oldest first, when it is listed in a page; more are read per thread
 */
public record CommentView(UUID id, String articleSlug, @Nullable UUID parentId, long seq, int depth,
    @Nullable String authorName, @Nullable String bodyHtml, String status, OffsetDateTime createdAt,
    @Nullable OffsetDateTime editedAt, int replyCount, int score,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<CommentView> replies) {

    CommentView withReplies(List<CommentView> replies) {
        return new CommentView(id, articleSlug, parentId, seq, depth, authorName, bodyHtml, status, createdAt,
            editedAt, replyCount, score, replies);
    }
}
