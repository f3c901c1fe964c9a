package ma.majlis.content.articles;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that decides who may write articles: every request that is not a read, on {@code /api/articles}
 * and {@code /api/article-imports}, passes here first.
 *
 * <p>With {@code majlis.articles.editor-token} set, a write needs {@code Authorization: Bearer <that token>}; without
 * it, writes are open to whoever can reach the service, which is for a machine of one's own only (a warning says so
 * at start-up). Signed-in editors with JWT roles arrive with the gateway's security.
 */
class EditorAccess implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(EditorAccess.class);

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    private final JsonMapper json;

    EditorAccess(String token, JsonMapper json) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        if (token.isEmpty()) {
            log.warn("Article writes are open to anyone who can reach content-service: set MAJLIS_EDITOR_TOKEN to"
                + " require 'Authorization: Bearer <token>' on POST, PUT and DELETE.");
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (token.length == 0 || !isWrite(exchange)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse(exchange, HttpStatus.UNAUTHORIZED, "Article writes are for editors: send the editor token"
                + " as 'Authorization: Bearer <token>'.");
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            return refuse(exchange, HttpStatus.FORBIDDEN, "The token sent is not the editor token; ask the operator"
                + " for the right one.");
        }
        return chain.filter(exchange);
    }

    private static boolean isWrite(ServerWebExchange exchange) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return false;
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return path.equals("/api/articles") || path.startsWith("/api/articles/") || path.equals("/api/article-imports")
            || path.startsWith("/api/article-imports/");
    }

    private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + (status == HttpStatus.UNAUTHORIZED ? "not-signed-in" : "not-an-editor")));
        problem.setTitle(status == HttpStatus.UNAUTHORIZED ? "Editor token required" : "Not an editor");
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"majlis\"");
        }
        DataBuffer body = response.bufferFactory().wrap(json.writeValueAsBytes(problem));
        return response.writeWith(Mono.just(body));
    }
}
