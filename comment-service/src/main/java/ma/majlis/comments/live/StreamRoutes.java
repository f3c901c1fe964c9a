package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.channel.Channel;
import ma.majlis.comments.discussion.CommentQueries;
import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.StreamCapacity;
import ma.majlis.platform.web.StreamConnections;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/articles/{slug}/comments/stream}: the article's discussion as server-sent events
 * ({@code comment.created}, {@code comment.edited}, {@code comment.deleted}), each with the change's position in the
 * article's stream as its {@code id}.
 *
 * <p>A reader who comes back with {@code Last-Event-ID} (or {@code ?lastEventId=}, for the first connection of an
 * {@code EventSource}) first gets every change after it from the database, then the live ones, with no gap and no
 * duplicate ({@link LiveStream}). Without either, the stream starts with the changes after the moment it opened.
 *
 * <p>An instance holds at most {@link StreamSettings#maxOpen()} streams ({@link StreamCapacity}); a reader beyond
 * that is answered 503 with {@code Retry-After}, as is one who comes while the instance shuts down.
 */
@RestController
class StreamRoutes {

    private final CommentQueries queries;

    private final StreamHub hub;

    private final StreamSettings settings;

    private final StreamCapacity capacity;

    StreamRoutes(CommentQueries queries, StreamHub hub, StreamSettings settings, StreamCapacity capacity) {
        this.queries = queries;
        this.hub = hub;
        this.settings = settings;
        this.capacity = capacity;
    }

    @GetMapping("/api/articles/{slug}/comments/stream")
    Mono<Void> stream(ServerWebExchange exchange, @PathVariable String slug,
        @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
        @RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParameter) {
        String given = lastEventIdHeader != null && !lastEventIdHeader.isBlank() ? lastEventIdHeader
            : lastEventIdParameter;
        Long lastEventId = null;
        if (given != null && !given.isBlank()) {
            try {
                lastEventId = Long.parseLong(given.strip());
            }
            catch (NumberFormatException ex) {
                lastEventId = -1L;
            }
            if (lastEventId < 0) {
                return Mono.error(Problems.invalidParameter("Last-Event-ID",
                    "must be the id of an event of this stream (a number)"));
            }
        }
        if (!hub.isOpen()) {
            return Mono.error(Problems.unavailable("shutting-down", "This instance is shutting down",
                "Reconnect in a moment; another instance will serve the stream.", Duration.ofSeconds(1)));
        }
        if (!capacity.hasRoom()) {
            return Mono.error(capacity.refusal("This instance", settings.retry()));
        }
        long resumeAfter = lastEventId == null ? -1 : lastEventId;
        return queries.article(slug).flatMap(article -> open(exchange.getResponse(), article,
            resumeAfter < 0 ? article.lastSeq() : resumeAfter));
    }

    /**
     * Begins the response with a greeting and the {@code retry} field, through WebFlux, which sends the status and
     * headers with it; from then on the stream writes to the connection itself ({@link StreamHub}). The answer
     * ends when the stream does.
     */
    private Mono<Void> open(ServerHttpResponse response, CommentQueries.ArticleRef article, long after) {
        Channel channel = StreamConnections.channel(response);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl(CacheControl.noStore());
        // Tell proxies such as nginx not to buffer the stream.
        headers.set("X-Accel-Buffering", "no");
        // The position it starts after, in a comment line, which browsers pass over: for a proxy that shares one
        // stream among its readers.
        byte[] hello = utf8(":discussion of " + article.slug() + " after " + after + "\nretry:"
            + settings.retry().toMillis() + "\n\n");
        return response.writeWith(Flux.just(response.bufferFactory().wrap(hello)))
            .then(Mono.create(end -> hub.open(article.id(), after, channel, end)));
    }

    private static byte[] utf8(String lines) {
        return lines.getBytes(StandardCharsets.UTF_8);
    }
}
