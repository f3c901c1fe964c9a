package ma.majlis.platform.web;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Lets every exchange end in a later task than the one that started it. reactor-netty 1.3.6 stops reading a
 * keep-alive connection when a request that waited behind another is answered at once, within the same call (a
 * validation problem, say): the connection's next request then hangs for good (reactor-netty issue 4361, fixed
 * after the versions this build can use). Ending the exchange a moment later keeps the connection reading.
 * {@code KeepAliveTest} in comment-service guards that connection's behaviour; it failed without this filter when
 * written and no longer does (bench/FINDINGS.md). Remove the filter once reactor-netty has the fix.
 *
 * <p>The exchange is handled in a task of its own connection's event loop, the thread that reads and writes the
 * connection anyway: no other thread is woken for it, and its answer is written without a hand-over back.
 */
public class AsynchronousCompletion implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return Mono.defer(() -> chain.filter(exchange)).subscribeOn(loopOf(exchange));
    }

    /** The event loop of the exchange's connection; the parallel threads when it runs on another server. */
    private static Scheduler loopOf(ServerWebExchange exchange) {
        Object running = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
        return running instanceof Connection connection ? Schedulers.fromExecutor(connection.channel().eventLoop())
            : Schedulers.parallel();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
