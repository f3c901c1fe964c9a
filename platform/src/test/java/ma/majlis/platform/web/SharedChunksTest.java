package ma.majlis.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/** A chunk encoded once reaches the wire exactly as each connection's own HTTP codec would have written it. */
class SharedChunksTest {

    private static final byte[] EVENT = "id: 41\nevent: comment.created\ndata: {\"body\":\"Salam\"}\n\n"
        .getBytes(StandardCharsets.UTF_8);

    @Test
    void encodesTheSizeInHexTheBytesAndALineBreakAfterEach() {
        ByteBuf chunk = SharedChunks.encode(EVENT);
        try {
            assertThat(chunk.toString(StandardCharsets.UTF_8))
                .isEqualTo(Integer.toHexString(EVENT.length) + "\r\n" + new String(EVENT, StandardCharsets.UTF_8)
                    + "\r\n");
            assertThat(chunk.isReadOnly()).isTrue();
        }
        finally {
            chunk.release();
        }
        assertThat(SharedChunks.encode(new byte[0])).as("an empty chunk would end the body").isNull();
    }

    @Test
    void aChunkHandedBelowTheCodecIsOnTheWireAsTheCodecWouldHaveWrittenIt() {
        String byTheCodec = stream(channel -> channel.writeAndFlush(
            new DefaultHttpContent(Unpooled.wrappedBuffer(EVENT))));
        String below = stream(channel -> SharedChunks.write(channel,
            channel.pipeline().context(NettyPipeline.HttpCodec), SharedChunks.encode(EVENT)));

        assertThat(below).isEqualTo(byTheCodec)
            .endsWith("\r\n\r\n" + Integer.toHexString(EVENT.length) + "\r\n" + new String(EVENT,
                StandardCharsets.UTF_8) + "\r\n" + Integer.toHexString(EVENT.length) + "\r\n" + new String(EVENT,
                StandardCharsets.UTF_8) + "\r\n0\r\n\r\n");
    }

    @Test
    void withoutACodecToGoBelowTheBytesGoThroughTheChannelsOwn() {
        String byTheCodec = stream(channel -> channel.writeAndFlush(
            new DefaultHttpContent(Unpooled.wrappedBuffer(EVENT))));
        String through = stream(channel -> SharedChunks.write(channel, null, SharedChunks.encode(EVENT)));

        assertThat(through).isEqualTo(byTheCodec);
    }

    /** The bytes a chunked response of two events, each written by {@code event}, puts on the wire. */
    private static String stream(Consumer<EmbeddedChannel> event) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
        channel.writeInbound(Unpooled.copiedBuffer("GET /stream HTTP/1.1\r\nHost: majlis\r\n\r\n",
            StandardCharsets.US_ASCII));
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(response);
        event.accept(channel);
        event.accept(channel);
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        StringBuilder wire = new StringBuilder();
        for (Object written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            ByteBuf bytes = (ByteBuf) written;
            wire.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.release();
        }
        channel.finishAndReleaseAll();
        return wire.toString();
    }
}
