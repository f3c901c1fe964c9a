package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import ma.majlis.comments.discussion.CommentEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One change of an article's discussion at its position in the article's stream, as the outbox announced it.
 *
 * <p>One instance is shared by every reader of the article on this instance: it is written as a server-sent event
 * (its JSON and the lines around it) once, the first time a reader needs it, and the same bytes go to every reader.
 */
public final class StreamEvent {

    private static final byte[] NOTHING = new byte[0];

    private final UUID articleId;

    private final long seq;

    private final String type;

    private final CommentEvent data;

    private volatile byte @Nullable [] frame;

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

    /**
     * This change as readers receive it, {@code id}, {@code event} and {@code data} lines and the blank line that ends
     * an event, in UTF-8; written with {@code mapper} the first time it is asked for. Empty when readers do not see
     * this change.
     */
    public byte[] frame(JsonMapper mapper) {
        byte[] written = frame;
        if (written == null) {
            // Two readers asking at once may both write it: the same bytes, so either may be kept.
            written = sseName().map(name -> ("id:" + seq + "\nevent:" + name + "\ndata:"
                + mapper.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8)).orElse(NOTHING);
            frame = written;
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
