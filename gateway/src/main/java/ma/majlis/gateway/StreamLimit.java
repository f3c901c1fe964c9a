package ma.majlis.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.platform.web.StreamCapacity;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Holds at most {@link GatewaySettings#maxOpenStreams()} event streams (routes with {@code stream: true} in their
 * metadata) open at once. Each holds two connections and their requests for as long as a reader reads; a reader
 * beyond the limit is answered 503 with {@code Retry-After} before a service is called, so a crowd of readers cannot
 * run the gateway out of heap and take every other request down with it.
 */
@Component
class StreamLimit implements GlobalFilter, Ordered {

    /** How long a refused reader is asked to wait: the widget waits at least this long, and more each time. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final AtomicInteger open = new AtomicInteger();

    private final StreamCapacity capacity;

    private final StreamFeeds feeds;

    StreamLimit(GatewaySettings settings, MeterRegistry meters, StreamFeeds feeds) {
        this.feeds = feeds;
        this.capacity = new StreamCapacity(settings.maxOpenStreams(), "MAJLIS_GATEWAY_STREAM_MAX_OPEN", open::get)
            .measuredBy(meters, "majlis.gateway.streams");
    }

    @Override
    public int getOrder() {
        // After the body limit, before the load balancer picks an instance.
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    /** Whether the exchange was routed to a stream: a route with {@code stream: true} in its metadata. */
    static boolean isStream(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route != null && Boolean.parseBoolean(String.valueOf(route.getMetadata().get("stream")));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        // A feed is this gateway's own stream, one per article with readers here, and holds no reader.
        if (!isStream(exchange) || feeds.isFeed(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        if (!capacity.hasRoom()) {
            return Mono.error(capacity.refusal("The gateway", RETRY_AFTER));
        }
        return Mono.defer(() -> {
            open.incrementAndGet();
            // The chain completes when the stream ends, whichever side ends it.
            return chain.filter(exchange).doFinally(signal -> open.decrementAndGet());
        });
    }
}
