package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits how often one client may write (post, change, delete) through the gateway: a bucket of writes per
 * signed-in subject, or per address for anonymous clients ({@link WriteAllowance}). It runs after the token has
 * been checked, so the subject is one the token proves. A client over its limit gets 429 with {@code Retry-After}.
 */
class WriteRateLimit implements WebFilter, Ordered {

    private final ClientAddresses clients;

    private final WriteAllowance allowance;

    WriteRateLimit(ClientAddresses clients, WriteAllowance allowance) {
        this.clients = clients;
        this.allowance = allowance;
    }

    @Override
    public int getOrder() {
        // After Spring Security's filter chain (-100), which has read the bearer token.
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        String path = exchange.getRequest().getPath().value();
        if (!isWrite(method) || !path.startsWith("/api/") || exempt(path)) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
            .map(principal -> "subject:" + principal.getName())
            .defaultIfEmpty("address:" + clients.of(exchange.getRequest()))
            .flatMap(allowance::take)
            .flatMap(wait -> wait.isZero() ? chain.filter(exchange) : Mono.error(tooMany(wait)));
    }

    /**
     * A preview writes nothing: readers may look at their comment as often as they like before posting it. The
     * links in mails act only with their unguessable token, and a mail provider's one-click unsubscribe posts from
     * the provider's few addresses on behalf of all its users, so counting them per address would refuse people.
     */
    private static boolean exempt(String path) {
        return path.equals("/api/comment-previews") || path.equals("/api/subscriptions/confirm")
            || path.equals("/api/subscriptions/unsubscribe");
    }

    private static ErrorResponseException tooMany(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
            "Too many writes", "This client has written too often. Try again in " + seconds + " s.");
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problem;
    }

    private static boolean isWrite(HttpMethod method) {
        return List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE).contains(method);
    }
}
