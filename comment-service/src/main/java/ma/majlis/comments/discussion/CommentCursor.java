package ma.majlis.comments.discussion;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the next page of comments starts, opaque to clients: the last comment of the page by its sort key. Pages
 * are keyset pages ({@code seq > last} and the like), so a comment posted meanwhile neither shifts nor repeats one.
 *
 * @param sort the order the cursor belongs to
 * @param score the last comment's score (sort {@code top} only)
 * @param seq the last comment's position
 */
record CommentCursor(Sort sort, int score, long seq) {

    /** The orders a discussion can be read in. */
    enum Sort {
        OLDEST, NEWEST, TOP
    }

    private static final int MAX_LENGTH = 100;

    String encode() {
        String text = sort.name().charAt(0) + "|" + score + "|" + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text} if it is one of {@code sort}'s, else empty. */
    static Optional<CommentCursor> decode(String text, Sort sort) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 3 || parts[0].length() != 1 || parts[0].charAt(0) != sort.name().charAt(0)) {
                return Optional.empty();
            }
            long seq = Long.parseLong(parts[2]);
            return seq < 0 ? Optional.empty() : Optional.of(new CommentCursor(sort, Integer.parseInt(parts[1]), seq));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }
}
