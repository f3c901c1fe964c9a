package ma.majlis.comments.discussion;

import java.util.List;

import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.Problems.FieldError;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import static ma.majlis.platform.web.Problems.problem;

/**
 * Every problem comment-service answers with, each with a stable {@code type}, rendered as
 * {@code application/problem+json} (RFC 9457).
 */
public final class DiscussionProblems {

    private DiscussionProblems() {
    }

    public static ErrorResponseException noArticle(String slug) {
        return problem(HttpStatus.NOT_FOUND, "article-not-found", "No such article",
            "There is no article at '" + slug + "' to discuss.");
    }

    public static ErrorResponseException withdrawn(String slug) {
        return problem(HttpStatus.GONE, "article-withdrawn", "Article withdrawn",
            "The article '" + slug + "' has been withdrawn; its discussion is closed.");
    }

    public static ErrorResponseException closed(String slug) {
        return problem(HttpStatus.FORBIDDEN, "comments-closed", "Comments are closed",
            "The article '" + slug + "' does not take comments.");
    }

    public static ErrorResponseException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message() + "."
            : "Fix these fields: " + String.join(", ", errors.stream().map(FieldError::field).toList()) + ".";
        return Problems.withErrors(problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-comment",
            "The comment cannot be posted", detail), errors);
    }

    static ErrorResponseException invalidJson(String reason) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-json", "The body is not the JSON expected",
            "Send a JSON object such as {\"authorName\": \"Amina\", \"body\": \"…\"}: " + reason + ".");
    }

    static ErrorResponseException tooLarge(int limit) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "comment-too-large", "The request is too large",
            "A comment request may have at most " + limit + " bytes.");
    }

    static ErrorResponseException idempotencyKeyReused() {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key already used",
            "This Idempotency-Key was used for a different comment. Use a new key (a UUID) for each new comment,"
                + " and the same key only to repeat the same request.");
    }

    static ErrorResponseException invalidIdempotencyKey(int max) {
        return Problems.withError(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid Idempotency-Key",
            "The Idempotency-Key must be 1 to " + max + " visible ASCII characters, such as a UUID."),
            "Idempotency-Key", "must be 1 to " + max + " visible ASCII characters");
    }

    static ErrorResponseException invalidCursor() {
        return Problems.invalidCursor("Pass the nextCursor of the previous page unchanged, with the same sort, or"
            + " leave it out to start from the first page.");
    }

    static ErrorResponseException noComment(String id) {
        return problem(HttpStatus.NOT_FOUND, "comment-not-found", "No such comment", "There is no comment " + id + ".");
    }

}
