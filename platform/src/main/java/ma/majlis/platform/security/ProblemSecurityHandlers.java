package ma.majlis.platform.security;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals as problem+json: 401 for a missing, expired or badly signed token (with the reason, never a stack
 * trace), 403 for a token without the role the request needs.
 */
public final class ProblemSecurityHandlers {

    private final JsonMapper json;

    public ProblemSecurityHandlers(JsonMapper json) {
        this.json = json;
    }

    public ServerAuthenticationEntryPoint entryPoint() {
        return (exchange, failure) -> write(exchange, HttpStatus.UNAUTHORIZED, "not-signed-in",
            "Sign-in required", reason(failure));
    }

    public ServerAccessDeniedHandler accessDenied() {
        return (exchange, denied) -> write(exchange, HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
            "Your token does not carry the role this needs (editor for article writes, moderator for moderation).");
    }

    private static String reason(AuthenticationException failure) {
        String message = failure.getMessage();
        if (message != null && message.contains("expired")) {
            return "Your token has expired; sign in again.";
        }
        if (failure.getClass().getSimpleName().contains("InvalidBearerToken")) {
            return "The bearer token is not valid here: " + message;
        }
        return "This needs a bearer token: send 'Authorization: Bearer <token>'.";
    }

    private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + type));
        problem.setTitle(title);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"majlis\"");
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
    }
}
