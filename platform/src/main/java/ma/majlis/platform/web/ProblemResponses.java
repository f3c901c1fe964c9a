package ma.majlis.platform.web;

import java.net.URI;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers every problem as {@code application/problem+json}, whatever the request accepts: a browser's
 * {@code EventSource} accepts only {@code text/event-stream}, and would otherwise get the problem written as an
 * event. The problem's own headers (such as {@code Allow}) are kept, and {@code instance} names the request's path.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemResponses {

    @ExceptionHandler(ErrorResponseException.class)
    ResponseEntity<ProblemDetail> problem(ErrorResponseException problem, ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().value();
        ProblemDetail body = Problems.normalised(problem.getBody(), path);
        if (body.getInstance() == null) {
            body.setInstance(URI.create(path));
        }
        return ResponseEntity.status(problem.getStatusCode())
            .headers(problem.getHeaders())
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(body);
    }
}
