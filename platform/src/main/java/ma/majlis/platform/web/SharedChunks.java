package ma.majlis.platform.web;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One event written to many HTTP/1.1 streams as a chunk encoded once.
 *
 * <p>A stream's body goes out in chunks, each its size in hex, a line break, the bytes and a line break. Handed the
 * bytes alone, every connection's HTTP codec frames them again for its reader: a size line to allocate, three
 * buffers to pass down and write. Here the chunk is framed once, outside the heap ({@link #encode}), and each
 * connection whose response is chunked is handed the whole chunk below its codec ({@link #write}), which leaves the
 * codec where it was: between two chunks. Any other connection (a response not in chunks, or HTTP/2, whose streams
 * have no such codec) gets the bytes through its codec, as usual.
 */
public final class SharedChunks {

    private static final byte[] CRLF = {'\r', '\n'};

    private SharedChunks() {
    }

    /**
     * The chunk that carries {@code payload}, read-only and outside the heap, for the caller to release; null when
     * there are no bytes (an empty chunk would end the body).
     */
    public static @Nullable ByteBuf encode(byte[] payload) {
        if (payload.length == 0) {
            return null;
        }
        byte[] size = Integer.toHexString(payload.length).getBytes(StandardCharsets.US_ASCII);
        return ByteBufAllocator.DEFAULT.directBuffer(size.length + payload.length + 2 * CRLF.length)
            .writeBytes(size).writeBytes(CRLF).writeBytes(payload).writeBytes(CRLF)
            .asReadOnly();
    }

    /**
     * Where the chunks of {@link #encode} go on the connection of {@code response}, once its headers are sent: its
     * HTTP/1.1 codec, when the response is in chunks; otherwise null, and they are written as bytes through it.
     */
    public static @Nullable ChannelHandlerContext codecOf(ServerHttpResponse response, Channel channel) {
        Object running = ServerHttpResponseDecorator.getNativeResponse(response);
        if (!(running instanceof HttpServerResponse netty) || !netty.responseHeaders()
            .containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)) {
            return null;
        }
        return channel.pipeline().context(NettyPipeline.HttpCodec);
    }

    /**
     * Writes and flushes {@code chunk} (from {@link #encode}, the caller's reference handed over): below
     * {@code codec} as it is, or, when there is none, its bytes through the channel's codec.
     */
    public static ChannelFuture write(Channel channel, @Nullable ChannelHandlerContext codec, ByteBuf chunk) {
        if (codec != null) {
            return codec.writeAndFlush(chunk);
        }
        int start = chunk.indexOf(chunk.readerIndex(), chunk.writerIndex(), (byte) '\r') + CRLF.length;
        ByteBuf payload = chunk.retainedSlice(start, chunk.writerIndex() - CRLF.length - start);
        chunk.release();
        return channel.writeAndFlush(new DefaultHttpContent(payload));
    }
}
