package ma.majlis.platform.web;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Once the service begins to shut down, answers every request with {@code Connection: close}, so that clients
 * holding keep-alive connections (the gateway's pool, a load generator) open a new connection for their next
 * request, which reaches another instance, instead of keeping this one busy. Without it, a client that sends
 * request after request on one connection keeps the graceful shutdown waiting until its timeout.
 */
public class ClosingConnections implements WebFilter, Ordered, SmartLifecycle {

    private volatile boolean running;

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!running) {
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        return chain.filter(exchange);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown (a lower phase) begins to wait for requests in flight. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
