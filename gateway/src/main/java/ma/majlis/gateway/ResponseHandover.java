package ma.majlis.gateway;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;

/**
 * Lets the rest of a long response be written after the handling of its request has ended.
 *
 * <p>While an exchange is handled, each web filter, the security chain and the error handlers keep operators of
 * their own subscribed to it, and the response keeps what the filters asked it to do before it is committed: all of
 * it stays until the exchange ends, for a reader of an event stream for hours. A filter that has begun a long answer
 * (a reader who joined a feed, {@link StreamFeeds}) hands the rest of it over with
 * {@link #handOver(ServerHttpResponse, Supplier)} and ends its chain at once. Once every filter has let go, the rest
 * is subscribed to on its own; what it holds is all that stays. The rest must not refer to the exchange, or it keeps
 * it too.
 */
final class ResponseHandover extends ServerHttpResponseDecorator {

    private @Nullable Supplier<Mono<Void>> rest;

    private ResponseHandover(ServerHttpResponse delegate) {
        super(delegate);
    }

    /** Every exchange's response can be handed over. */
    @Component
    static final class Installer implements WebHttpHandlerBuilderCustomizer {

        @Override
        public void customize(WebHttpHandlerBuilder builder) {
            builder.httpHandlerDecorator(ResponseHandover::decorate);
        }
    }

    static HttpHandler decorate(HttpHandler handler) {
        return (request, response) -> {
            // Once handled, nothing here refers to the exchange's response any more, so that it can go.
            AtomicReference<@Nullable ResponseHandover> handing = new AtomicReference<>(new ResponseHandover(response));
            return Mono.defer(() -> handler.handle(request, handing.get()))
                .then(Mono.defer(() -> {
                    ResponseHandover handover = handing.getAndSet(null);
                    Supplier<Mono<Void>> rest = handover == null ? null : handover.rest;
                    if (rest == null) {
                        return Mono.empty();
                    }
                    if (request instanceof AbstractServerHttpRequest served) {
                        // The server's request outlives the exchange, and would keep it through its attributes.
                        served.setAttributesSupplier(Map::of);
                    }
                    return rest.get();
                }));
        };
    }

    /**
     * Ends the caller's part of the exchange: {@code rest} is subscribed to once the filter chain has ended. Where
     * the response cannot be handed over (it was not made by this gateway's server), the rest follows within the
     * chain, as without a handover.
     */
    static Mono<Void> handOver(ServerHttpResponse response, Supplier<Mono<Void>> rest) {
        ResponseHandover handover = find(response);
        if (handover == null || handover.rest != null) {
            return Mono.defer(rest);
        }
        handover.rest = rest;
        return Mono.empty();
    }

    private static @Nullable ResponseHandover find(ServerHttpResponse response) {
        ServerHttpResponse at = response;
        while (at instanceof ServerHttpResponseDecorator decorator) {
            if (decorator instanceof ResponseHandover handover) {
                return handover;
            }
            at = decorator.getDelegate();
        }
        return null;
    }

    /** The chain's closing call does not end a response that was handed over: its rest ends it. */
    @Override
    public Mono<Void> setComplete() {
        return rest != null ? Mono.empty() : super.setComplete();
    }
}
