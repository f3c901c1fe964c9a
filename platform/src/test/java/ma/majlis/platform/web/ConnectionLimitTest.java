package ma.majlis.platform.web;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A process holds at most so many client connections; one beyond them is answered 503 and closed unread. */
class ConnectionLimitTest {

    /** What the rest of the pipeline (the HTTP codec and the server) saw of a connection. */
    static final class Server extends ChannelInboundHandlerAdapter {

        boolean active;

        int reads;

        ChannelHandlerContext limitContext;

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            limitContext = context.pipeline().context(ConnectionLimit.class);
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            active = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            reads++;
            ((ByteBuf) message).release();
        }
    }

    @Test
    void aConnectionBeyondTheLimitIsAnswered503AndClosedWithoutItsRequestBeingRead() {
        ConnectionLimit limit = new ConnectionLimit(1);
        Server firstServer = new Server();
        EmbeddedChannel first = new EmbeddedChannel(limit, firstServer);
        assertThat(firstServer.active).isTrue();
        assertThat(limit.open()).isEqualTo(1);

        Server secondServer = new Server();
        EmbeddedChannel second = new EmbeddedChannel(limit, secondServer);
        ByteBuf request = Unpooled.copiedBuffer("GET /api/articles HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
        ByteBuf answer = second.readOutbound();
        // Bytes of its request that were already on their way when it was closed.
        limit.channelRead(secondServer.limitContext, request);
        String text = answer.toString(StandardCharsets.US_ASCII);
        answer.release();

        assertThat(text).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
            .contains("Content-Type: application/problem+json", "Retry-After: 5", "Connection: close",
                "/problems/too-many-connections");
        int length = Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(text.substring(text.indexOf("\r\n\r\n") + 4)).hasSize(length);
        assertThat(second.isOpen()).as("closed once answered").isFalse();
        assertThat(secondServer.active).as("the server never heard of it").isFalse();
        assertThat(secondServer.reads).isZero();
        assertThat(request.refCnt()).as("its request is let go").isZero();
        assertThat(limit.refused()).isEqualTo(1);
        assertThat(limit.open()).isEqualTo(1);

        first.close();
        assertThat(limit.open()).isZero();
        Server thirdServer = new Server();
        EmbeddedChannel third = new EmbeddedChannel(limit, thirdServer);
        assertThat(thirdServer.active).as("room again once a connection closed").isTrue();
        third.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(thirdServer.reads).isEqualTo(1);
        third.close();
    }

    @Test
    void withoutASettingConnectionsMayTakeAQuarterOfTheHeap() {
        long mib = 1024 * 1024;
        assertThat(ConnectionLimit.forHeap(192 * mib)).isEqualTo(4096);
        assertThat(ConnectionLimit.forHeap(4 * mib)).isEqualTo(256);
        assertThat(new ConnectionLimit(0).maxOpen()).isEqualTo(ConnectionLimit.forHeap(Runtime.getRuntime().maxMemory()));
        assertThat(new ConnectionLimit(50).maxOpen()).isEqualTo(50);
    }

    @Test
    void aProcessWhoseConnectionsHoldLessGivesItsOwnNumberUnlessTheOperatorSetsOne() {
        assertThat(new ConnectionLimit(0, 12_288).maxOpen()).isEqualTo(12_288);
        assertThat(new ConnectionLimit(50, 12_288).maxOpen()).isEqualTo(50);
        assertThat(new ConnectionLimit(0, 3).maxOpen()).isEqualTo(ConnectionLimit.FLOOR);
    }
}
