package ma.majlis.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the gateway's stream limit counts a reader while its exchange is handled: once, by the limit until a feed
 * takes it, then by the feed, though the exchange goes on until the reader's greeting is written.
 */
class StreamLimitTest {

    static final String STREAM = "/api/articles/day-11-crowded/comments/stream";

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    final GatewaySettings settings = new GatewaySettings(Duration.ofSeconds(10), 50, 20, 10, Duration.ofSeconds(10),
        1, 0);

    final StreamLimit limit = new StreamLimit(settings, meters, new StreamFeeds(meters, settings));

    static ServerWebExchange streamExchange() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(STREAM));
        Route route = Route.async().id("comment-streams").uri("http://comment-service")
            .predicate(anything -> true).metadata("stream", true).build();
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        return exchange;
    }

    /** Lets a reader in, whose exchange is then handled until the test ends; the refusal, if it was refused. */
    @Nullable Throwable read(GatewayFilterChain chain, AtomicReference<Disposable> held) {
        AtomicReference<@Nullable Throwable> refused = new AtomicReference<>();
        held.set(limit.filter(streamExchange(), chain).subscribe(done -> { }, refused::set));
        return refused.get();
    }

    @SafeVarargs
    static void dispose(AtomicReference<Disposable>... held) {
        for (AtomicReference<Disposable> each : held) {
            if (each.get() != null) {
                each.get().dispose();
            }
        }
    }

    static void assertRefused(@Nullable Throwable refusal) {
        assertThat(refusal).as("the reader beyond the limit")
            .isInstanceOfSatisfying(ErrorResponseException.class, problem -> assertThat(problem.getBody().getType())
                .hasToString("/problems/too-many-streams"));
    }

    @Test
    void aReaderAFeedTookLeavesItsRoomToTheFeedWhileItsGreetingIsStillBeingWritten() {
        AtomicReference<Disposable> joined = new AtomicReference<>();
        AtomicReference<Disposable> waiting = new AtomicReference<>();
        AtomicReference<Disposable> beyond = new AtomicReference<>();
        try {
            // The feed took the first reader; its exchange is not over yet.
            assertThat(read(exchange -> {
                StreamLimit.takenByFeed(exchange);
                return Mono.never();
            }, joined)).isNull();
            // It counts as the feed's (none here), so a second reader finds the one room free and takes it.
            assertThat(read(exchange -> Mono.never(), waiting)).as("the second reader").isNull();
            // That one is counted here until a feed takes it: a third is refused.
            assertRefused(read(exchange -> Mono.never(), beyond));
        }
        finally {
            dispose(joined, waiting, beyond);
        }
    }

    @Test
    void aReaderCountsOnceEvenWhenTakenTwiceAndIsNoLongerCountedOnceItsExchangeEnds() {
        AtomicReference<Disposable> first = new AtomicReference<>();
        AtomicReference<Disposable> second = new AtomicReference<>();
        assertThat(read(exchange -> {
            StreamLimit.takenByFeed(exchange);
            StreamLimit.takenByFeed(exchange);
            return Mono.empty();
        }, first)).isNull();
        // Had the reader been uncounted twice, two readers would now fit in the room of one.
        assertThat(read(exchange -> Mono.never(), second)).isNull();
        AtomicReference<Disposable> third = new AtomicReference<>();
        try {
            assertRefused(read(exchange -> Mono.never(), third));
        }
        finally {
            dispose(second, third);
        }
    }
}
