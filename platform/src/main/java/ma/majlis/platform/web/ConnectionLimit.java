package ma.majlis.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Holds at most so many client connections open at once. A connection beyond them is answered at once with a bare
 * 503 problem ({@code Retry-After}, {@code Connection: close}) and closed, before a byte of its request is read.
 *
 * <p>Every open connection holds heap, a few kilobytes while it waits, much more while its request is being served.
 * The stream limit ({@link StreamCapacity}) bounds the streams a process serves, but ten thousand readers arriving
 * at once were measured to run a 192 MB gateway out of heap with their connections alone, before most of them
 * reached the stream limit (bench/FINDINGS.md). Unless an operator sets the number, connections may take a quarter
 * of the largest heap at {@value #BYTES_PER_CONNECTION} bytes each.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    /** What a connection is allowed for: one whose request is being served, as measured, rounded up. */
    public static final long BYTES_PER_CONNECTION = 12 * 1024;

    static final String NAME = "majlis.connectionLimit";

    static final int FLOOR = 256;

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);

    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("majlis.refusedConnection");

    private static final byte[] ANSWER;

    static {
        String body = "{\"type\":\"/problems/too-many-connections\",\"title\":\"Too many connections\",\"status\":503,"
            + "\"detail\":\"This server holds as many connections as it may. Try again in a few seconds.\"}";
        ANSWER = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 5\r\n"
            + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
            .getBytes(StandardCharsets.US_ASCII);
    }

    private final AtomicInteger open = new AtomicInteger();

    private final Refusals refused = new Refusals();

    private final int maxOpen;

    /** @param configured the operator's number ({@code MAJLIS_MAX_CONNECTIONS}), or 0 for a quarter of the heap */
    public ConnectionLimit(int configured) {
        this(configured, forHeap(Runtime.getRuntime().maxMemory()));
    }

    /**
     * @param configured the operator's number ({@code MAJLIS_MAX_CONNECTIONS}), or 0 for {@code otherwise}
     * @param otherwise the number for a process whose connections hold less, or more, than most
     */
    public ConnectionLimit(int configured, int otherwise) {
        this.maxOpen = configured > 0 ? configured : Math.max(FLOOR, otherwise);
    }

    static int forHeap(long maxHeapBytes) {
        return (int) Math.max(FLOOR, Math.min(Integer.MAX_VALUE, maxHeapBytes / 4 / BYTES_PER_CONNECTION));
    }

    /** Puts the limit first on every connection of the reactive web server. */
    public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> customizer() {
        return factory -> factory.addServerCustomizers(server -> server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NAME) == null) {
                channel.pipeline().addFirst(NAME, this);
            }
        }));
    }

    /** Publishes {@code majlis.connections.open}, {@code .limit} and {@code .refused}. */
    public ConnectionLimit measuredBy(MeterRegistry meters) {
        Gauge.builder("majlis.connections.open", open, AtomicInteger::get)
            .description("Client connections open to this process's web server")
            .register(meters);
        Gauge.builder("majlis.connections.limit", this, ConnectionLimit::maxOpen)
            .description("The most client connections this process holds open at once")
            .register(meters);
        FunctionCounter.builder("majlis.connections.refused", refused, Refusals::count)
            .description("Connections answered 503 and closed because this process held as many as it may")
            .register(meters);
        return this;
    }

    public int maxOpen() {
        return maxOpen;
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.count();
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        int now = open.incrementAndGet();
        if (now <= maxOpen) {
            context.fireChannelActive();
            return;
        }
        context.channel().attr(REFUSED).set(Boolean.TRUE);
        refused.refuse(count -> log.warn(
            "Refusing new connections with 503: {} are open, the most this process holds (MAJLIS_MAX_CONNECTIONS,"
                + " or a quarter of its heap when unset); {} refused so far. Add instances, or give each more heap and"
                + " raise MAJLIS_MAX_CONNECTIONS.", now - 1, count));
        context.writeAndFlush(Unpooled.wrappedBuffer(ANSWER)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (Boolean.TRUE.equals(context.channel().attr(REFUSED).get())) {
            // The request of a refused connection is read by nobody.
            ReferenceCountUtil.release(message);
            return;
        }
        context.fireChannelRead(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        open.decrementAndGet();
        if (!Boolean.TRUE.equals(context.channel().attr(REFUSED).get())) {
            context.fireChannelInactive();
        }
    }
}
