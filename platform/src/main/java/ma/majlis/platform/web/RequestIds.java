package ma.majlis.platform.web;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an {@code X-Request-Id}: the one it came with when that is a plausible id, else a new one. The
 * id travels on to the services behind the gateway and back to the client in the response, so a reader's report
 * and the logs of every part can be matched: every line logged while the request is handled carries it
 * ({@code requestId} in the logging context).
 */
public class RequestIds implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";

    /** The exchange attribute that keeps the path the client asked for, whatever forwards follow. */
    public static final String ORIGINAL_PATH = RequestIds.class.getName() + ".originalPath";

    /** The key under which log lines written for a request carry its id. */
    public static final String MDC_KEY = "requestId";

    static {
        // Whatever thread handles a part of the request, its log lines carry the request's id.
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(MDC_KEY));
    }

    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String given = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = given != null && PLAUSIBLE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ServerHttpRequest request = exchange.getRequest().mutate().headers(headers -> headers.set(HEADER, id)).build();
        exchange.getResponse().getHeaders().set(HEADER, id);
        exchange.getAttributes().putIfAbsent(ORIGINAL_PATH, exchange.getRequest().getPath().value());
        return chain.filter(exchange.mutate().request(request).build())
            .contextWrite(context -> context.put(Slf4jThreadLocalAccessor.KEY, Map.of(MDC_KEY, id)));
    }
}
