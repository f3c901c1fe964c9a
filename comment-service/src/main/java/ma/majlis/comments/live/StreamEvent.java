package ma.majlis.comments.live;

import java.util.Optional;
import java.util.UUID;

import ma.majlis.comments.discussion.CommentEvent;

/**
 * One change of an article's discussion at its position in the article's stream, as the outbox announced it.
 *
 * @param type the CloudEvents type ({@code ma.majlis.comment.created.v1}, …)
 */
public record StreamEvent(UUID articleId, long seq, String type, CommentEvent data) {

    /**
     * The SSE event name readers receive for this change, or empty when readers do not see it (a comment held for
     * moderation). Approving a held comment makes it appear; hiding one makes it disappear.
     */
    public Optional<String> sseName() {
        String status = data.status();
        return switch (type) {
            case CommentEvent.CREATED -> status.equals("published") ? Optional.of("comment.created") : Optional.empty();
            case CommentEvent.EDITED -> status.equals("published") ? Optional.of("comment.edited") : Optional.empty();
            case CommentEvent.DELETED -> Optional.of("comment.deleted");
            case CommentEvent.MODERATED -> switch (status) {
                case "published" -> Optional.of("comment.created");
                case "hidden", "deleted" -> Optional.of("comment.deleted");
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }
}
