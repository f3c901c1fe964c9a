package ma.majlis.gateway;

import java.util.List;
import java.util.Map;

import ma.majlis.platform.web.Problems;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose headers together are larger than {@code limit} with 431 and a problem, before anything
 * else reads them (a giant bearer token costs no signature check).
 *
 * <p>Netty itself refuses headers only beyond a higher ceiling, four times the limit and at least 64 KB, and
 * answers those with a bare 431: this filter is what clients normally meet.
 */
final class HeaderSizeLimit implements WebFilter, Ordered {

    private final long limit;

    HeaderSizeLimit(DataSize limit) {
        this.limit = limit.toBytes();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long size = 0;
        for (Map.Entry<String, List<String>> header : exchange.getRequest().getHeaders().headerSet()) {
            for (String value : header.getValue()) {
                // "Name: value\r\n", as the request carried it.
                size += header.getKey().length() + value.length() + 4;
            }
        }
        if (size > limit) {
            return Mono.error(Problems.problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                "The request's headers are too large", "This gateway takes at most " + limit
                    + " bytes of request headers; this request has about " + size
                    + ". Send fewer or shorter headers (cookies for this host count too)."));
        }
        return chain.filter(exchange);
    }

    /** Netty's own ceiling, above the filter's limit, so that the filter is what answers. */
    static WebServerFactoryCustomizer<NettyReactiveWebServerFactory> nettyCeiling(DataSize limit) {
        long ceiling = Math.max(DataSize.ofKilobytes(64).toBytes(), 4 * limit.toBytes());
        return new CeilingCustomizer((int) Math.min(Integer.MAX_VALUE, ceiling));
    }

    /** Runs after Boot's own customizer, whose header size it replaces. */
    private record CeilingCustomizer(int ceiling)
        implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

        @Override
        public void customize(NettyReactiveWebServerFactory factory) {
            factory.addServerCustomizers(server -> server.httpRequestDecoder(spec -> spec.maxHeaderSize(ceiling)));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
