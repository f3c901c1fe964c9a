package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ma.majlis.comments.discussion.CommentQueries;
import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.StreamCapacity;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/articles/{slug}/comments/stream}: the article's discussion as server-sent events
 * ({@code comment.created}, {@code comment.edited}, {@code comment.deleted}), each with the change's position in the
 * article's stream as its {@code id}.
 *
 * <p>A reader who comes back with {@code Last-Event-ID} (or {@code ?lastEventId=}, for the first connection of an
 * {@code EventSource}) first gets every change after it from the database, then the live ones, with no gap and no
 * duplicate: the reader is registered for live changes before the database is read, every change is sent only if
 * it comes after the last one sent, and a live change that skips positions brings the ones between from the
 * database first. Without either, the stream starts with the changes after the moment it opened.
 *
 * <p>An instance holds at most {@link StreamSettings#maxOpen()} streams ({@link StreamCapacity}); a reader beyond
 * that is answered 503 with {@code Retry-After}, as is one who comes while the instance shuts down.
 */
@RestController
class StreamRoutes {

    /** A comment line, so that proxies see the connection in use and keep it open. */
    private static final byte[] HEARTBEAT = utf8(":heartbeat\n\n");

    private final CommentQueries queries;

    private final StreamHub hub;

    private final StreamHistory history;

    private final StreamSettings settings;

    private final JsonMapper json;

    private final StreamCapacity capacity;

    StreamRoutes(CommentQueries queries, StreamHub hub, StreamHistory history, StreamSettings settings,
        JsonMapper json, StreamCapacity capacity) {
        this.queries = queries;
        this.hub = hub;
        this.history = history;
        this.settings = settings;
        this.json = json;
        this.capacity = capacity;
    }

    @GetMapping("/api/articles/{slug}/comments/stream")
    Mono<ResponseEntity<Flux<DataBuffer>>> stream(ServerWebExchange exchange, @PathVariable String slug,
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
        Long resumeAfter = lastEventId;
        DataBufferFactory buffers = exchange.getResponse().bufferFactory();
        return queries.article(slug).map(article -> ResponseEntity.ok()
            .contentType(MediaType.TEXT_EVENT_STREAM)
            .cacheControl(CacheControl.noStore())
            // Tell proxies such as nginx not to buffer the stream.
            .header("X-Accel-Buffering", "no")
            .body(events(article, resumeAfter == null ? article.lastSeq() : resumeAfter)
                .map(buffers::wrap)));
    }

    /**
     * The stream's bytes: a greeting, then each change after {@code after} as it happens, and heartbeats. A change's
     * event is written once for all of the article's readers ({@link StreamEvent#frame}), and the chain each change
     * passes through is kept short: with thousands of readers, it runs thousands of times a change.
     */
    private Flux<byte[]> events(CommentQueries.ArticleRef article, long after) {
        return Flux.defer(() -> {
            StreamHub.Subscription live = hub.subscribe(article.id());
            AtomicLong sent = new AtomicLong(after);
            Flux<StreamEvent> ordered = Flux.concat(history.between(article.id(), after, Long.MAX_VALUE), live.events())
                .concatMap(event -> {
                    long last = sent.get();
                    if (event.seq() <= last) {
                        return Mono.empty();
                    }
                    if (event.seq() == last + 1) {
                        // The usual case: the next one. Taken at once, without a stage of its own.
                        sent.set(event.seq());
                        return Mono.just(event);
                    }
                    return history.between(article.id(), last, event.seq())
                        .concatWith(Mono.just(event))
                        .filter(next -> next.seq() > sent.get())
                        .doOnNext(next -> sent.set(next.seq()));
                }, 1);
            Flux<byte[]> changes = ordered.map(event -> event.frame(json)).filter(frame -> frame.length > 0);
            Flux<byte[]> heartbeats = Flux.interval(settings.heartbeat()).map(tick -> HEARTBEAT);
            String retry = "retry:" + settings.retry().toMillis() + "\n\n";
            byte[] hello = utf8(":discussion of " + article.slug() + "\n" + retry);
            // Each stage takes one event at a time: what a reader may fall behind by is its buffer, not more.
            return Flux.concat(Mono.just(hello), Flux.merge(1, changes, heartbeats))
                // A reader who fell too far behind is let go; it reconnects and catches up from the database.
                .onErrorResume(StreamHub.Overflow.class, ex -> Flux.empty())
                // This instance is going away: a last word, and the browser reconnects (to another instance)
                // after the retry delay, resuming from the last event it received.
                .onErrorResume(StreamHub.ShuttingDown.class, ex -> Mono.just(utf8(
                    ":this instance is shutting down; reconnect\n" + retry)))
                .doFinally(signal -> live.cancel());
        });
    }

    private static byte[] utf8(String lines) {
        return lines.getBytes(StandardCharsets.UTF_8);
    }
}
