package ma.majlis.gateway;

import java.net.URI;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.RequestIds;
import ma.majlis.platform.web.RequestLogging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * What a reader gets when a service cannot answer: a problem saying which service, why, and when to try again,
 * instead of a hang or a bare 500.
 */
@RestController
class FallbackRoutes {

    private static final Logger log = LoggerFactory.getLogger(FallbackRoutes.class);

    private final GatewaySettings settings;

    FallbackRoutes(GatewaySettings settings) {
        this.settings = settings;
    }

    @RequestMapping("/fallback/{service}")
    Mono<ResponseEntity<ProblemDetail>> fallback(@PathVariable String service, ServerWebExchange exchange) {
        // The context carries the request's trace and request ids, for the line logged with the answer.
        return Mono.deferContextual(context -> Mono.just(answer(service, exchange, context)));
    }

    private ResponseEntity<ProblemDetail> answer(String service, ServerWebExchange exchange, ContextView context) {
        Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        if (isTimeout(failure)) {
            return problem(exchange, context, HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout",
                service + " did not answer in time",
                service + " did not answer within " + settings.responseTimeout().toSeconds()
                    + " s. Try again; if it keeps happening, the service is overloaded.", 0);
        }
        if (failure instanceof CallNotPermittedException) {
            return problem(exchange, context, HttpStatus.SERVICE_UNAVAILABLE, "upstream-unavailable",
                service + " is unavailable",
                service + " has been failing, so the gateway is not sending it requests for a while. Try again in "
                    + settings.openFor().toSeconds() + " s.", settings.openFor().toSeconds());
        }
        return problem(exchange, context, HttpStatus.SERVICE_UNAVAILABLE, "upstream-unavailable",
            service + " is unavailable",
            service + " cannot be reached just now. Try again in a few seconds.", 5);
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                || (cause instanceof ResponseStatusException status && status.getStatusCode().value() == 504)) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ProblemDetail> problem(ServerWebExchange exchange, ContextView context,
        HttpStatus status, String type, String title, String detail, long retryAfterSeconds) {
        ProblemDetail body = Problems.problem(status, type, title, detail).getBody();
        // The problem names the address the reader asked for, not the fallback it was forwarded to.
        String original = exchange.getAttribute(RequestIds.ORIGINAL_PATH);
        String asked = original != null ? original : exchange.getRequest().getPath().value();
        body.setInstance(URI.create(asked));
        Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        RequestLogging.log(context, () -> log.warn("Answered {} {} with {}: {} ({})", exchange.getRequest().getMethod(),
            asked, status.value(), title, failure == null ? "no cause recorded" : failure.toString()));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfterSeconds > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return response.body(body);
    }
}
