package ma.majlis.gateway;

import ma.majlis.platform.web.Problems;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose declared body is larger than its route allows ({@code max-body-bytes} in the route's
 * metadata) with 413, before the service sees a byte of it. Bodies sent without a length are limited by the
 * services themselves.
 */
@Component
class BodySizeLimit implements GlobalFilter, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Object limit = route == null ? null : route.getMetadata().get("max-body-bytes");
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (limit != null && length > Long.parseLong(limit.toString())) {
            return Mono.error(Problems.problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "The request is too large",
                "This address takes bodies of at most " + limit + " bytes; this one has " + length + "."));
        }
        return chain.filter(exchange);
    }
}
