package ma.majlis.platform.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives a problem body to an error that a framework part answered with a status alone: a cross-origin request from a
 * site that is not allowed (403), a request the security firewall refused, and any other that would otherwise reach
 * the client as a bare status. Runs around every other filter and handler, and writes only when nothing was written.
 */
public final class EmptyErrorBodies implements WebFilter, Ordered {

    private final ProblemErrorHandler problems;

    public EmptyErrorBodies(ProblemErrorHandler problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).then(Mono.defer(() -> {
            ServerHttpResponse response = exchange.getResponse();
            HttpStatusCode status = response.getStatusCode();
            if (response.isCommitted() || status == null || !status.isError()
                || response.getHeaders().getContentType() != null) {
                return Mono.empty();
            }
            return problems.handle(exchange, problemFor(exchange, status));
        }));
    }

    private static Throwable problemFor(ServerWebExchange exchange, HttpStatusCode status) {
        String origin = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ORIGIN);
        if (status.value() == HttpStatus.FORBIDDEN.value() && origin != null) {
            return Problems.problem(HttpStatus.FORBIDDEN, "origin-not-allowed", "Origin not allowed",
                "Browsers may call this API only from the sites it is configured for (MAJLIS_CORS_ORIGINS); this "
                    + "request came from another origin.");
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = known != null ? known.getReasonPhrase() : "Error " + status.value();
        return Problems.problem(known != null ? known : HttpStatus.BAD_REQUEST,
            title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), title,
            "The request was refused with " + status.value() + " " + title + ".");
    }
}
