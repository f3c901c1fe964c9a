package ma.majlis.comments.discussion;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The data of every {@code majlis.comments.v1} event (ARCHITECTURE.md, "Events"), and of the stream events
 * browsers receive.
 *
 * @param seq this change's position in the article's stream: the SSE event id, and what {@code Last-Event-ID}
 * resumes after
 * @param commentSeq the comment's own position: the {@code seq} of its {@code created} event
 */
public record CommentEvent(UUID id, UUID articleId, String articleSlug, @Nullable UUID parentId, long seq,
    long commentSeq, int depth, @Nullable String authorName, @Nullable String bodyHtml, String status,
    OffsetDateTime createdAt, @Nullable OffsetDateTime editedAt) {

    public static final String CREATED = "ma.majlis.comment.created.v1";

    public static final String EDITED = "ma.majlis.comment.edited.v1";

    public static final String DELETED = "ma.majlis.comment.deleted.v1";

    public static final String MODERATED = "ma.majlis.comment.moderated.v1";

    public static final String AGGREGATE_TYPE = "comment";
}
