package ma.majlis.platform.web;

import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose {@code Accept} header is not a list of media types, with a 400 problem, before any
 * handler runs. Left to the handlers, such a header broke the negotiation of the answer after the work was done:
 * the client got an error status with an empty body.
 */
public final class UnreadableAccept implements WebFilter, Ordered {

    private final ProblemErrorHandler problems;

    public UnreadableAccept(ProblemErrorHandler problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        List<String> accept = exchange.getRequest().getHeaders().getValuesAsList(HttpHeaders.ACCEPT);
        try {
            for (String value : accept) {
                MediaType.parseMediaTypes(value);
            }
        }
        catch (InvalidMediaTypeException ex) {
            return problems.handle(exchange, Problems.problem(HttpStatus.BAD_REQUEST, "unreadable-accept",
                "Unreadable Accept header", "The Accept header must list media types, such as application/json; "
                    + "this one could not be read (" + ex.getMessage() + "). Send application/json, or leave it out."));
        }
        return chain.filter(exchange);
    }
}
