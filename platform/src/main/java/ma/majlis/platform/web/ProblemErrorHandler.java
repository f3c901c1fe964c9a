package ma.majlis.platform.web;

import java.net.ConnectException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last word on every error that no controller answered: an unknown path, a method the path does not take, a
 * body too large, an upstream that the gateway cannot reach, or a bug. Each is answered as
 * {@code application/problem+json} in the shape of every other problem; a bug's details go to the log, never to
 * the client.
 */
public class ProblemErrorHandler implements ErrorWebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    /** The exceptions, and their subclasses, by which Spring and R2DBC report a database that cannot be reached. */
    private static final Set<String> DATABASE_OUTAGES = Set.of(
        "org.springframework.dao.DataAccessResourceFailureException",
        "org.springframework.transaction.CannotCreateTransactionException",
        "io.r2dbc.spi.R2dbcNonTransientResourceException",
        "io.r2dbc.spi.R2dbcTransientResourceException");

    private final JsonMapper json;

    public ProblemErrorHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public int getOrder() {
        // Before Spring Boot's own handler (-1), which answers in another shape.
        return -2;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        return Mono.deferContextual(context -> answer(exchange, failure, context));
    }

    private Mono<Void> answer(ServerWebExchange exchange, Throwable failure, ContextView context) {
        ServerHttpResponse response = exchange.getResponse();
        String path = exchange.getRequest().getPath().value();
        ProblemDetail problem;
        HttpHeaders headers = HttpHeaders.EMPTY;
        if (failure instanceof ErrorResponse error) {
            problem = Problems.normalised(error.getBody(), path);
            headers = error.getHeaders();
        }
        else if (databaseUnreachable(failure)) {
            // An outage, not a bug: the log says what happened in one line, the client when to come back.
            RequestLogging.log(context, () -> log.warn("Answered {} {} with 503: the database cannot be reached ({})."
                + " Check that PostgreSQL is up and reachable at the configured MAJLIS_DB_HOST and MAJLIS_DB_PORT.",
                exchange.getRequest().getMethod(), path, rootCause(failure)));
            problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                "The service cannot reach its database just now. Try again in a few seconds.");
        }
        else if (causedBy(failure, TimeoutException.class)) {
            problem = problem(HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout", "No answer in time",
                "The service behind " + path + " did not answer in time. Try again.");
        }
        else if (causedBy(failure, ConnectException.class)) {
            problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "upstream-unavailable", "Service unavailable",
                "The service behind " + path + " cannot be reached just now. Try again in a few seconds.");
        }
        else {
            RequestLogging.log(context, () -> log.error("Answered {} {} with 500: {}",
                exchange.getRequest().getMethod(), path, failure.toString(), failure));
            problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "server-error", "Something went wrong",
                "Something went wrong on our side; it has been logged. Try again later.");
        }
        problem.setInstance(URI.create(path));
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        response.getHeaders().addAll(headers);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()
            && !response.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        }
        DataBuffer body = response.bufferFactory().wrap(json.writeValueAsBytes(problem));
        return response.writeWith(Mono.just(body));
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + type));
        problem.setTitle(title);
        return problem;
    }

    /**
     * Whether {@code failure} says the database could not be reached or its connection was lost: no connection
     * could be opened or taken from the pool, or the connection closed under the query. Matched by class name,
     * because the gateway shares this handler and has no database classes.
     */
    static boolean databaseUnreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (DATABASE_OUTAGES.contains(type.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
