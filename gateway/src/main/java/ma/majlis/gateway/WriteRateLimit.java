package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * Limits how often one client may write (post, change, delete) through the gateway: a bucket of {@code burst}
 * writes per signed-in subject, or per address for anonymous clients, refilled at {@code perMinute}. It runs after
 * the token has been checked, so the subject is one the token proves. A
 * client over its limit gets 429 with {@code Retry-After}. The buckets live in this gateway's memory; several
 * gateway replicas each keep their own.
 */
class WriteRateLimit implements WebFilter, Ordered {

    private final ClientAddresses clients;

    private final int burst;

    private final double perNano;

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
        .expireAfterAccess(Duration.ofMinutes(10))
        .maximumSize(100_000)
        .build();

    WriteRateLimit(ClientAddresses clients, int burst, int perMinute) {
        this.clients = clients;
        this.burst = burst;
        this.perNano = perMinute / 60e9;
    }

    @Override
    public int getOrder() {
        // After Spring Security's filter chain (-100), which has read the bearer token.
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (!isWrite(method) || !exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
            .map(principal -> "subject:" + principal.getName())
            .defaultIfEmpty("address:" + clients.of(exchange.getRequest()))
            .flatMap(client -> admit(client, exchange, chain));
    }

    private Mono<Void> admit(String client, ServerWebExchange exchange, WebFilterChain chain) {
        long waitNanos = buckets.get(client, key -> new Bucket(burst)).take(burst, perNano, System.nanoTime());
        if (waitNanos > 0) {
            long seconds = Math.max(1, (long) Math.ceil(waitNanos / 1e9));
            ErrorResponseException problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                "Too many writes", "This client has written too often. Try again in " + seconds + " s.");
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            return Mono.error(problem);
        }
        return chain.filter(exchange);
    }

    private static boolean isWrite(HttpMethod method) {
        return List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE).contains(method);
    }

    /** A token bucket: full at {@code burst}, refilled continuously. */
    static final class Bucket {

        private double tokens;

        private long updated = System.nanoTime();

        Bucket(int burst) {
            this.tokens = burst;
        }

        /** Takes a token and answers 0, or answers how long until one is there. */
        synchronized long take(int burst, double perNano, long now) {
            tokens = Math.min(burst, tokens + (now - updated) * perNano);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
