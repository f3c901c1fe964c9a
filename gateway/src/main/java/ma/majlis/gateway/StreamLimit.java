package ma.majlis.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Holds at most {@link GatewaySettings#maxOpenStreams()} readers of event streams (routes with {@code stream: true}
 * in their metadata) at once. A reader who joined a feed ({@link StreamFeeds}) holds its connection and little else,
 * {@value #JOINED_READER_BYTES} bytes of heap at most; a reader piped through to a service holds a second connection
 * and both exchanges for as long as it reads, and counts as {@value #PIPED_WEIGHT} joined readers. A reader beyond
 * the limit is answered 503 with {@code Retry-After} before a service is called, so a crowd of readers cannot run the
 * gateway out of heap and take every other request down with it. Unless the operator sets the number, readers may
 * take half of the heap.
 */
@Component
class StreamLimit implements GlobalFilter, Ordered {

    /** How long a refused reader is asked to wait: the widget waits at least this long, and more each time. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /**
     * Heap allowed for a reader who joined a feed, connection and all: 5.5 to 6 KB as measured (bench/FINDINGS.md),
     * so that half of the gateway's recommended 160 MB heap holds 11,314 of them.
     */
    static final long JOINED_READER_BYTES = 7 * 1024;

    /** How many joined readers one reader piped through weighs: what a stream holds in a service, as measured. */
    static final int PIPED_WEIGHT = (int) (StreamCapacity.MEASURED_BYTES_PER_STREAM / JOINED_READER_BYTES);

    /** The exchange attribute that lets a feed take over the counting of the reader it took. */
    private static final String HANDLED = StreamLimit.class.getName() + ".handled";

    /** Readers counted here: waiting for a feed to begin, or piped through. Those a feed took count as its own. */
    private final AtomicInteger handling = new AtomicInteger();

    private final StreamCapacity capacity;

    private final StreamFeeds feeds;

    StreamLimit(GatewaySettings settings, MeterRegistry meters, StreamFeeds feeds) {
        this.feeds = feeds;
        this.capacity = new StreamCapacity(settings.maxOpenStreams(), JOINED_READER_BYTES,
                "MAJLIS_GATEWAY_STREAM_MAX_OPEN",
                () -> handling.get() + feeds.pipedReaders() * (PIPED_WEIGHT - 1) + feeds.joinedReaders())
            .measuredBy(meters, "majlis.gateway.streams", () -> handling.get() + feeds.joinedReaders());
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
            handling.incrementAndGet();
            AtomicBoolean counted = new AtomicBoolean(true);
            Runnable uncount = () -> {
                if (counted.compareAndSet(true, false)) {
                    handling.decrementAndGet();
                }
            };
            exchange.getAttributes().put(HANDLED, uncount);
            // The chain completes when the stream ends, whichever side ends it, or once a feed took the reader.
            return chain.filter(exchange).doFinally(signal -> uncount.run());
        });
    }

    /**
     * A feed took the reader of {@code exchange} and counts it from now on ({@link StreamFeeds#joinedReaders()}), so
     * it is no longer counted here, though its exchange is handled until its greeting is written. Otherwise each
     * reader of a crowd joining at once would take two places in the limit for that moment.
     */
    static void takenByFeed(ServerWebExchange exchange) {
        Runnable uncount = exchange.getAttribute(HANDLED);
        if (uncount != null) {
            uncount.run();
        }
    }
}
