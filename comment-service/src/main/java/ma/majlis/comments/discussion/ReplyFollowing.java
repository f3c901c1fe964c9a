package ma.majlis.comments.discussion;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where a comment posted with {@code "notifyReplies": true} asks for its replies by e-mail: the notifications
 * side records the request (double opt-in) in the transaction that stores the comment.
 */
public interface ReplyFollowing {

    /**
     * @param address the commenter's address, checked and lower-cased
     * @param digest whether replies come gathered in a digest rather than one mail each
     */
    record Request(String address, boolean digest) {
    }

    /** Records the request for replies to {@code commentId}; runs inside the comment's transaction. */
    Mono<Void> follow(UUID articleId, UUID commentId, Request request, @Nullable String subject);
}
