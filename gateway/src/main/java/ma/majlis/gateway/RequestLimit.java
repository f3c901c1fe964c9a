package ma.majlis.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.Refusals;
import ma.majlis.platform.web.StreamCapacity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Holds at most {@link GatewaySettings#maxRequests()} requests being passed to a service at once, streams apart
 * (those are {@link StreamLimit}'s). A request beyond them is answered 503 with {@code Retry-After} before a service
 * is called.
 *
 * <p>The gateway's connection limit is sized for readers of feeds, which hold a few kilobytes each, so that ten
 * thousand of them fit (bench/FINDINGS.md). A request on its way to a service holds as much as a stream piped
 * through: 42.6 KB measured, {@value StreamCapacity#MEASURED_BYTES_PER_STREAM} bytes allowed. As many of those as
 * there may be connections would not fit in the heap, and a service that answers slowly lets them pile up. Unless
 * the operator sets the number, such requests may take a quarter of the heap, 825 with {@code -Xmx160m}; the
 * quarter left beside the readers' half is for everything else.
 */
@Component
class RequestLimit implements GlobalFilter, Ordered {

    /** How long a refused client is asked to wait: requests are short, so room is soon made. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    static final int FLOOR = 64;

    private static final Logger log = LoggerFactory.getLogger(RequestLimit.class);

    private final AtomicInteger handling = new AtomicInteger();

    private final Refusals refused = new Refusals();

    private final int maxHandling;

    RequestLimit(GatewaySettings settings, MeterRegistry meters) {
        this.maxHandling = settings.maxRequests() > 0 ? settings.maxRequests()
            : forHeap(Runtime.getRuntime().maxMemory());
        Gauge.builder("majlis.gateway.requests.handling", handling, AtomicInteger::get)
            .description("Requests other than streams that the gateway is passing to a service now")
            .register(meters);
        Gauge.builder("majlis.gateway.requests.limit", this, RequestLimit::maxHandling)
            .description("The most requests other than streams the gateway passes to services at once")
            .register(meters);
        FunctionCounter.builder("majlis.gateway.requests.refused", refused, Refusals::count)
            .description("Requests answered 503 because the gateway was passing as many as it may")
            .register(meters);
    }

    /** How many requests a quarter of a heap of {@code maxHeapBytes} holds, and never fewer than {@value #FLOOR}. */
    static int forHeap(long maxHeapBytes) {
        return (int) Math.max(FLOOR,
            Math.min(Integer.MAX_VALUE, maxHeapBytes / 4 / StreamCapacity.MEASURED_BYTES_PER_STREAM));
    }

    int maxHandling() {
        return maxHandling;
    }

    @Override
    public int getOrder() {
        // With the stream limit: after the body limit, before the load balancer picks an instance.
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (StreamLimit.isStream(exchange)) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            int now = handling.incrementAndGet();
            if (now > maxHandling) {
                handling.decrementAndGet();
                return Mono.error(refusal(now - 1));
            }
            return chain.filter(exchange).doFinally(signal -> handling.decrementAndGet());
        });
    }

    private RuntimeException refusal(int now) {
        refused.refuse(count -> log.warn(
            "Refusing requests with 503: {} are on their way to services, the most this gateway passes at once"
                + " (MAJLIS_GATEWAY_MAX_REQUESTS, or a quarter of its heap when unset); {} refused so far. If the"
                + " services answer slowly, see to them first; otherwise add gateway instances, or give each more heap"
                + " and raise MAJLIS_GATEWAY_MAX_REQUESTS.", now, count));
        return Problems.unavailable("busy", "The gateway is busy", "The gateway is passing as many requests as it"
            + " may (" + maxHandling + "). Try again in a moment.", RETRY_AFTER);
    }
}
