package ma.majlis.comments.live;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import ma.majlis.comments.discussion.CommentEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One change of an article's discussion at its position in the article's stream, as the outbox announced it.
 *
 * <p>One instance is shared by every reader of the article on this instance: its data is written as JSON once, the
 * first time a reader needs it, not once a reader.
 */
public final class StreamEvent {

    private final UUID articleId;

    private final long seq;

    private final String type;

    private final CommentEvent data;

    private volatile @Nullable String json;

    /** @param type the CloudEvents type ({@code ma.majlis.comment.created.v1}, …) */
    public StreamEvent(UUID articleId, long seq, String type, CommentEvent data) {
        this.articleId = articleId;
        this.seq = seq;
        this.type = type;
        this.data = data;
    }

    public UUID articleId() {
        return articleId;
    }

    public long seq() {
        return seq;
    }

    public String type() {
        return type;
    }

    public CommentEvent data() {
        return data;
    }

    /** The data as the JSON readers receive, written with {@code mapper} the first time it is asked for. */
    public String json(JsonMapper mapper) {
        String written = json;
        if (written == null) {
            // Two readers asking at once may both write it: the same text, so either may be kept.
            written = mapper.writeValueAsString(data);
            json = written;
        }
        return written;
    }

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

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof StreamEvent event && event.articleId.equals(articleId) && event.seq == seq
            && event.type.equals(type) && event.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(articleId, seq, type, data);
    }

    @Override
    public String toString() {
        return "StreamEvent[articleId=" + articleId + ", seq=" + seq + ", type=" + type + ", data=" + data + "]";
    }
}
