package ma.majlis.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import ma.majlis.platform.web.SharedChunks;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * A reader who joined an article's feed ({@link StreamFeeds}): each event of the feed is written to its connection
 * as it comes. Until its response has begun, events wait; a connection that has not taken its last
 * {@value StreamFeeds#BUFFER} events is closed, and the browser reconnects with its {@code Last-Event-ID}. Its state
 * is touched on its connection's event loop only.
 */
final class FeedReader implements ChannelFutureListener {

    private final Consumer<FeedReader> leave;

    private final Channel channel;

    private final byte[] greeting;

    private @Nullable List<ByteBuf> early = new ArrayList<>();

    private @Nullable MonoSink<Void> end;

    /** Where the feed's chunks are handed to the connection, once its headers are sent ({@link SharedChunks}). */
    private @Nullable ChannelHandlerContext codec;

    private int unwritten;

    private boolean closed;

    /** @param leave takes the reader off its feed */
    FeedReader(Channel channel, byte[] greeting, Consumer<FeedReader> leave) {
        this.leave = leave;
        this.channel = channel;
        this.greeting = greeting;
        // Also when the reader goes before its answer began.
        channel.closeFuture().addListener(closing -> close());
    }

    EventLoop loop() {
        return channel.eventLoop();
    }

    /** The start of the reader's answer, while its request is handled: the stream's headers and its greeting. */
    Mono<Void> greet(ServerHttpResponse response) {
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl(CacheControl.noStore());
        headers.set("X-Accel-Buffering", "no");
        return response.writeWith(Flux.just(response.bufferFactory().wrap(greeting)))
            .doOnSuccess(written -> codec = SharedChunks.codecOf(response, channel))
            .doOnCancel(this::close)
            .doOnError(error -> close());
    }

    /**
     * The rest of the reader's answer, once it was handed over ({@link ResponseHandover}): the feed's events until
     * either side ends the stream. It holds on to nothing of the exchange.
     */
    Mono<Void> events() {
        return Mono.create(sink -> {
            sink.onDispose(this::close);
            onLoop(() -> begin(sink));
        });
    }

    /** An event of the feed, as a chunk ({@link SharedChunks#encode}), on this reader's loop. */
    void deliver(@Nullable ByteBuf frame) {
        if (closed || frame == null) {
            return;
        }
        if (early != null) {
            if (early.size() < StreamFeeds.BUFFER) {
                early.add(frame.retainedDuplicate());
            }
            else {
                channel.close();
            }
            return;
        }
        if (unwritten >= StreamFeeds.BUFFER) {
            // Fell too far behind: it reconnects with its Last-Event-ID, and comment-service catches it up.
            channel.close();
            return;
        }
        write(frame.retainedDuplicate());
    }

    private void begin(MonoSink<Void> sink) {
        if (closed) {
            sink.success();
            return;
        }
        end = sink;
        List<ByteBuf> waiting = early;
        early = null;
        if (waiting != null) {
            waiting.forEach(this::write);
        }
    }

    /** Ends the reader's stream (with the last chunk) and takes it off the feed; once, from any thread. */
    void close() {
        onLoop(() -> {
            if (closed) {
                return;
            }
            closed = true;
            leave.accept(this);
            if (early != null) {
                early.forEach(ByteBuf::release);
                early = null;
            }
            if (end != null) {
                end.success();
            }
        });
    }

    @Override
    public void operationComplete(ChannelFuture written) {
        unwritten--;
    }

    private void write(ByteBuf bytes) {
        unwritten++;
        SharedChunks.write(channel, codec, bytes).addListener(this);
    }

    private void onLoop(Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        }
        else {
            loop.execute(task);
        }
    }
}
