package ma.majlis.gateway;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Headers that keep browsers safe with whatever the gateway answers: no content-type sniffing, no referrer beyond
 * the origin, and for API answers a content security policy that lets them run nothing and be framed nowhere. An
 * answer that brings its own policy (the reader's pages) keeps it.
 */
@Component
class SecurityHeaders implements WebFilter, Ordered {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /**
     * The reader pages run only the gateway's own scripts (none inline) and talk only to the gateway; articles
     * may show images from anywhere on https.
     */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' https: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
            setIfAbsent(headers, "Referrer-Policy", "strict-origin-when-cross-origin");
            String path = exchange.getRequest().getPath().value();
            if (path.startsWith("/api/")) {
                setIfAbsent(headers, "Content-Security-Policy", API_POLICY);
            }
            else if (!path.startsWith("/embed/")) {
                setIfAbsent(headers, "Content-Security-Policy", PAGE_POLICY);
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private static void setIfAbsent(HttpHeaders headers, String name, String value) {
        if (!headers.containsHeader(name)) {
            headers.set(name, value);
        }
    }
}
