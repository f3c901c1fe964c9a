package ma.majlis.content.articles;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the next page of a list starts: the last article of the page by its sort key and id. Pages read by
 * keyset ({@code (key, id) < (cursor)}), so an article published meanwhile neither shifts nor repeats the next
 * page. Opaque to clients: base64url of {@code kind|key|id}.
 *
 * @param ranked whether the list is ordered by search rank ({@code q}) rather than by publication time
 * @param publishedAt the last article's publication time (newest-first lists)
 * @param rank the last article's search rank (ranked lists)
 * @param id the last article's id, which breaks ties
 */
record ArticleCursor(boolean ranked, OffsetDateTime publishedAt, float rank, UUID id) {

    private static final String NEWEST = "t";

    private static final String RANKED = "r";

    /** The most a cursor this service writes can be; anything longer is not one. */
    private static final int MAX_LENGTH = 200;

    static ArticleCursor after(OffsetDateTime publishedAt, UUID id) {
        return new ArticleCursor(false, publishedAt, 0f, id);
    }

    static ArticleCursor afterRank(float rank, UUID id) {
        return new ArticleCursor(true, OffsetDateTime.MIN, rank, id);
    }

    String encode() {
        String key = ranked ? RANKED + "|" + Float.toString(rank) : NEWEST + "|"
            + publishedAt.withOffsetSameInstant(ZoneOffset.UTC);
        return Base64.getUrlEncoder().withoutPadding().encodeToString((key + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text}, or empty when it is not one this service wrote. */
    static Optional<ArticleCursor> decode(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 3) {
                return Optional.empty();
            }
            UUID id = UUID.fromString(parts[2]);
            return switch (parts[0]) {
                case NEWEST -> Optional.of(after(OffsetDateTime.parse(parts[1]), id));
                case RANKED -> {
                    float rank = Float.parseFloat(parts[1]);
                    yield Float.isFinite(rank) ? Optional.of(afterRank(rank, id)) : Optional.empty();
                }
                default -> Optional.empty();
            };
        }
        catch (IllegalArgumentException | DateTimeParseException ex) {
            return Optional.empty();
        }
    }
}
