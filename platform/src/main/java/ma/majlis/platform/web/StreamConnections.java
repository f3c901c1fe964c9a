package ma.majlis.platform.web;

import io.netty.channel.Channel;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.netty.Connection;

/**
 * The connection under a response, for event streams that write each event to it themselves: through WebFlux's
 * writer, every event of every reader would be a publisher, a send and a task of its own (bench/FINDINGS.md).
 */
public final class StreamConnections {

    private StreamConnections() {
    }

    /**
     * The Netty channel that carries {@code response}.
     *
     * @throws IllegalStateException when the server is not Reactor Netty, Spring Boot's default for WebFlux
     */
    public static Channel channel(ServerHttpResponse response) {
        Object running = ServerHttpResponseDecorator.getNativeResponse(response);
        if (running instanceof Connection connection) {
            return connection.channel();
        }
        throw new IllegalStateException("Event streams are written to Reactor Netty connections, but this server runs"
            + " on " + running.getClass().getName() + ". Run the service on Reactor Netty, Spring Boot's default.");
    }
}
