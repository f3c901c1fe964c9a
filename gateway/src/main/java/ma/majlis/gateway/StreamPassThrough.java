package ma.majlis.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import ma.majlis.platform.web.StreamConnections;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;

/**
 * Passes an event stream from the service to its reader chunk by chunk, from one connection straight to the other.
 *
 * <p>Spring Cloud Gateway's own writer ({@link NettyWriteResponseFilter}) makes each chunk of a streaming response
 * a publisher, a send and a task of its own, for every reader: with a thousand readers and twenty comments a
 * second, that was most of what the gateway did (bench/FINDINGS.md). Here the response begins through WebFlux, which
 * sends its status and headers, and then each chunk the service sends is written to the reader's connection as it
 * comes, and flushed.
 *
 * <p>A reader that stops reading stops the gateway reading for it: no more than {@value #AHEAD} chunks are asked of
 * the service ahead of what the reader's connection has taken, and comment-service lets a reader go once it falls
 * its own buffer behind. A reader who leaves closes the connection to the service; a stream the service ends (it is
 * shutting down) ends for the reader, who reconnects.
 *
 * <p>Responses of stream routes that are not event streams (a problem, say) are written the usual way.
 */
@Component
class StreamPassThrough implements GlobalFilter, Ordered {

    /** Chunks asked of the service ahead of what the reader's connection has taken. */
    static final int AHEAD = 32;

    private static final Logger log = LoggerFactory.getLogger(StreamPassThrough.class);

    @Override
    public int getOrder() {
        // Inside Spring Cloud Gateway's writer, so that this runs first once the service has answered.
        return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!StreamLimit.isStream(exchange)) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).then(Mono.defer(() -> passThrough(exchange)));
    }

    private static Mono<Void> passThrough(ServerWebExchange exchange) {
        Connection service = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
        ServerHttpResponse response = exchange.getResponse();
        MediaType type = response.getHeaders().getContentType();
        if (service == null || response.isCommitted() || type == null
            || !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
            return Mono.empty();
        }
        // Spring Cloud Gateway's writer leaves a response alone once this attribute is gone.
        exchange.getAttributes().remove(ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR);
        Channel reader = StreamConnections.channel(response);
        // An empty first chunk: WebFlux sends the status and headers with it.
        return response.writeWith(Flux.just(response.bufferFactory().allocateBuffer(0)))
            .then(Mono.<Void>create(end -> service.inbound().receive().subscribe(new Pipe(service, reader, end))))
            .doOnCancel(service::dispose)
            .doOnError(error -> service.dispose());
    }

    /** The chunks of one stream, from the service's connection to the reader's. */
    private static final class Pipe implements CoreSubscriber<ByteBuf>, ChannelFutureListener {

        private final Connection service;

        private final Channel reader;

        private final MonoSink<Void> end;

        private @Nullable Subscription chunks;

        /** Chunks written since more were last asked for; counted on the reader's event loop. */
        private int written;

        Pipe(Connection service, Channel reader, MonoSink<Void> end) {
            this.service = service;
            this.reader = reader;
            this.end = end;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            chunks = subscription;
            // The reader left: so does the stream from the service.
            end.onCancel(() -> {
                subscription.cancel();
                service.dispose();
            });
            subscription.request(AHEAD);
        }

        @Override
        public void onNext(ByteBuf chunk) {
            // Released once written; the service's connection releases its own reference after this returns.
            reader.writeAndFlush(new DefaultHttpContent(chunk.retain())).addListener(this);
        }

        /** A chunk left for the reader: half of what may be ahead is asked for again once half has gone. */
        @Override
        public void operationComplete(ChannelFuture write) {
            if (!write.isSuccess()) {
                // The reader's connection is closing; its response is cancelled, and that closes the service's.
                return;
            }
            if (++written == AHEAD / 2 && chunks != null) {
                written = 0;
                chunks.request(AHEAD / 2);
            }
        }

        @Override
        public void onError(Throwable error) {
            log.debug("The stream from the service broke off ({}); ending the reader's, who reconnects.",
                error.toString());
            service.dispose();
            end.success();
        }

        @Override
        public void onComplete() {
            end.success();
        }
    }
}
