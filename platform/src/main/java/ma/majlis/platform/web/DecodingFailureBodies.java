package ma.majlis.platform.web;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import reactor.netty.NettyPipeline;

/**
 * Gives a problem body to the answers the HTTP decoder sends before any Majlis code sees the request: a header
 * block over the server's ceiling (431), a header value with characters a header may not hold or a malformed
 * request line (400), an address too long (414). The decoder answers with a status alone; this handler, placed just
 * after it in the pipeline, fills in the body.
 */
@ChannelHandler.Sharable
public final class DecodingFailureBodies extends ChannelOutboundHandlerAdapter {

    static final String NAME = "majlis.decodingFailureBodies";

    /** Adds the handler to every connection of the reactive web server. */
    public static WebServerFactoryCustomizer<NettyReactiveWebServerFactory> customizer() {
        DecodingFailureBodies handler = new DecodingFailureBodies();
        return factory -> factory.addServerCustomizers(server -> server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME, handler);
            }
        }));
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
        if (message instanceof FullHttpResponse response && response.status().code() >= 400
            && response.content().readableBytes() == 0 && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            byte[] body = problem(response.status());
            FullHttpResponse filled = response.replace(Unpooled.wrappedBuffer(body));
            filled.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            filled.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            response.release();
            context.write(filled, promise);
            return;
        }
        context.write(message, promise);
    }

    static byte[] problem(HttpResponseStatus status) {
        String type;
        String detail;
        switch (status.code()) {
            case 431 -> {
                type = "headers-too-large";
                detail = "The request's headers are larger than this server reads at all. Send fewer or shorter "
                    + "headers (cookies for this host count too).";
            }
            case 414 -> {
                type = "address-too-long";
                detail = "The request's address is longer than this server reads. Send a shorter one.";
            }
            case 413 -> {
                type = "body-too-large";
                detail = "The request is larger than this server reads.";
            }
            default -> {
                type = "unreadable-request";
                detail = "The request could not be read as HTTP: a header holds characters a header may not hold "
                    + "(such as control characters), or the request line is malformed.";
            }
        }
        // Built by hand: no JSON library runs this early, and every piece is fixed text or a number.
        String json = "{\"type\":\"/problems/" + type + "\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":"
            + status.code() + ",\"detail\":\"" + detail + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
