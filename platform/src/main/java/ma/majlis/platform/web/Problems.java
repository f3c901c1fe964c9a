package ma.majlis.platform.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The shape of every problem a Majlis service answers with (RFC 9457, {@code application/problem+json}): a stable
 * {@code type} under {@code /problems/}, a title, a detail that says what to do, and for validation an
 * {@code errors} list naming each field.
 */
public final class Problems {

    private Problems() {
    }

    /** One field's problem in a validation problem's {@code errors} list. */
    public record FieldError(String field, String message) {
    }

    public static ErrorResponseException problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("/problems/" + type));
        body.setTitle(title);
        return new ErrorResponseException(status, body, null);
    }

    /** 503: this instance cannot take the request now; the client may try again after {@code retryAfter}. */
    public static ErrorResponseException unavailable(String type, String title, String detail, Duration retryAfter) {
        ErrorResponseException problem = problem(HttpStatus.SERVICE_UNAVAILABLE, type, title, detail);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        return problem;
    }

    /** {@code problem} with an {@code errors} list naming each field and what is wrong with it. */
    public static ErrorResponseException withErrors(ErrorResponseException problem, List<FieldError> errors) {
        problem.getBody().setProperty("errors", errors.stream()
            .map(error -> Map.of("field", error.field(), "message", error.message())).toList());
        return problem;
    }

    public static ErrorResponseException withError(ErrorResponseException problem, String field, String message) {
        return withErrors(problem, List.of(new FieldError(field, message)));
    }

    /** A query parameter or header out of range: 400 naming it. */
    public static ErrorResponseException invalidParameter(String field, String message) {
        return withError(problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
            field + " " + message + "."), field, message);
    }

    /** A cursor that the list did not give out. */
    public static ErrorResponseException invalidCursor(String howToUse) {
        return withError(problem(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
            "The cursor is not one this list gave out. " + howToUse), "cursor", "is not a cursor of this list");
    }

    /**
     * A framework's problem in the shape of ours: a stable {@code type} instead of {@code about:blank}, and for a
     * path that nothing answers, a detail in plain words.
     */
    public static ProblemDetail normalised(ProblemDetail given, String path) {
        int status = given.getStatus();
        if (status == HttpStatus.NOT_FOUND.value() && (given.getType() == null
            || "about:blank".equals(given.getType().toString()))) {
            given.setType(URI.create("/problems/not-found"));
            given.setTitle("Not found");
            given.setDetail("Nothing answers at " + path + ". The API lives under /api/.");
        }
        else if (given.getType() == null || "about:blank".equals(given.getType().toString())) {
            given.setType(URI.create("/problems/http-" + status));
        }
        return given;
    }

    public static ErrorResponseException notUtf8() {
        return problem(HttpStatus.BAD_REQUEST, "invalid-encoding", "The body is not UTF-8",
            "The request body is not valid UTF-8. Send it as UTF-8.");
    }
}
