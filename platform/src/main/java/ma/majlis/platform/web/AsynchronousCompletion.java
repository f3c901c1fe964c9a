package ma.majlis.platform.web;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lets every exchange end on another thread than the one that started it. reactor-netty 1.3.6 stops reading a
 * keep-alive connection when a request that waited behind another is answered at once, within the same call (a
 * validation problem, say): the connection's next request then hangs for good (reactor-netty issue 4361, fixed
 * after the versions this build can use). Ending the exchange a moment later keeps the connection reading.
 * {@code KeepAliveTest} in comment-service proves it; remove this filter once reactor-netty has the fix.
 */
public class AsynchronousCompletion implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // The exchange starts on another thread, so its answer is written by a task of the connection's event loop
        // rather than within the call that took the request from the connection's queue.
        return Mono.defer(() -> chain.filter(exchange)).subscribeOn(Schedulers.parallel());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
