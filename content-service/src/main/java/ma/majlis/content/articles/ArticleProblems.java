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
        ErrorResponseException problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-page",
            "The page cannot be imported", message);
        problem.getBody().setProperty("errors", List.of(Map.of("field", field, "message", message)));
        return problem;
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
        ErrorResponseException problem = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid page size",
            "limit must be between 1 and " + max + "; it was " + limit + ".");
        problem.getBody().setProperty("errors", List.of(Map.of("field", "limit",
            "message", "must be between 1 and " + max)));
        return problem;
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("/problems/" + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }
}
