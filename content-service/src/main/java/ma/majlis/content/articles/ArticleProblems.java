package ma.majlis.content.articles;

import ma.majlis.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import static ma.majlis.platform.web.Problems.problem;
import static ma.majlis.platform.web.Problems.withError;

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
        return Problems.notUtf8();
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
        return Problems.invalidParameter(field, message);
    }

    static ErrorResponseException invalidCursor() {
        return Problems.invalidCursor("Pass the nextCursor of the previous page unchanged, with the same q, or leave"
            + " it out to start from the first page.");
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
}
