package ma.majlis.platform.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a request that Spring Security's firewall refused (an encoded slash, percent or NUL in the address, a
 * path with {@code ..} or {@code ;}, a header with characters a header may not hold) with a 400 problem that says
 * so, instead of a bare 400.
 */
public final class RejectedRequests implements ServerExchangeRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(RejectedRequests.class);

    private final ProblemErrorHandler problems;

    public RejectedRequests(ProblemErrorHandler problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        log.debug("Refused {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
            rejected.getMessage());
        return problems.handle(exchange, Problems.problem(HttpStatus.BAD_REQUEST, "request-rejected",
            "Request refused",
            "The request's address or headers hold something this service does not accept, such as an encoded "
                + "slash, percent sign or NUL, a '..' or ';' in the path, or a control character in a header. Send "
                + "a plain address and plain header values."));
    }
}
