package ma.majlis.content.articles;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Every problem content-service answers with, each with a stable {@code type}. Spring renders them as
 * {@code application/problem+json} (RFC 9457).
 */
final class ArticleProblems {

    private ArticleProblems() {
    }

    static ErrorResponseException notFound(String slug) {
        return problem(HttpStatus.NOT_FOUND, "article-not-found", "No such article",
            "There is no published article at '" + slug + "'.");
    }

    static ErrorResponseException withdrawn(String slug) {
        return problem(HttpStatus.GONE, "article-withdrawn", "Article withdrawn",
            "The article '" + slug + "' has been withdrawn.");
    }

    static ErrorResponseException exists(String slug) {
        return problem(HttpStatus.CONFLICT, "article-exists", "Article already exists",
            "An article already lives at '" + slug + "'. Change it with PUT /api/articles/" + slug
                + ", or give the new page another file name or title.");
    }

    static ErrorResponseException invalidPage(String field, String message) {
        return withError(problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-page", "The page cannot be imported",
            message), field, message);
    }

    static ErrorResponseException notUtf8() {
        return problem(HttpStatus.BAD_REQUEST, "invalid-encoding", "The page is not UTF-8",
            "The request body is not valid UTF-8. Save the page as UTF-8 and send it again.");
    }

    static ErrorResponseException tooLarge(int limit) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "page-too-large", "The page is too large",
            "A page may have at most " + limit + " bytes.");
    }

    static ErrorResponseException emptyPage() {
        return problem(HttpStatus.BAD_REQUEST, "empty-page", "The page is empty",
            "Send the page's Markdown as the request body.");
    }

    static ErrorResponseException invalidLimit(int limit, int max) {
        return withError(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid page size",
            "limit must be between 1 and " + max + "; it was " + limit + "."), "limit", "must be between 1 and " + max);
    }

    static ErrorResponseException invalidParameter(String field, String message) {
        return withError(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
            field + " " + message + "."), field, message);
    }

    static ErrorResponseException invalidCursor() {
        return withError(problem(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
            "The cursor is not one this list gave out. Pass the nextCursor of the previous page unchanged, with the"
                + " same q, or leave it out to start from the first page."), "cursor", "is not a cursor of this list");
    }

    static ErrorResponseException invalidJson(String reason) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-json", "The body is not the JSON expected",
            "The request body could not be read as a JSON article: " + reason + ".");
    }

    static ErrorResponseException preconditionRequired() {
        return problem(HttpStatus.PRECONDITION_REQUIRED, "precondition-required", "If-Match required",
            "Send If-Match with the ETag of the version you changed (from GET), or If-Match: * to replace whatever"
                + " is there.");
    }

    static ErrorResponseException stale(String slug, String currentEtag) {
        ErrorResponseException problem = problem(HttpStatus.PRECONDITION_FAILED, "stale-version",
            "The article has changed", "The article '" + slug + "' is now at " + currentEtag
                + ", not the version you changed. Read it again, apply your change, and send it with the new ETag.");
        problem.getBody().setProperty("currentEtag", currentEtag);
        return problem;
    }

    static ErrorResponseException noImportFolder(String detail) {
        return problem(HttpStatus.CONFLICT, "no-import-folder", "No import folder", detail);
    }

    static ErrorResponseException importRunning(String detail) {
        return problem(HttpStatus.CONFLICT, "import-running", "An import is running", detail);
    }

    private static ErrorResponseException withError(ErrorResponseException problem, String field, String message) {
        problem.getBody().setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return problem;
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("/problems/" + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}
