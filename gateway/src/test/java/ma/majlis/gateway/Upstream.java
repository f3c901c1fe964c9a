package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.util.concurrent.Queues;

/**
 * A stand-in for a service behind the gateway: it names itself in every answer, records what it was asked,
 * and serves any {@code …/stream} path as an event stream whose events the test emits one at a time.
 */
final class Upstream implements AutoCloseable {

    private final String name;

    private final DisposableServer server;

    /** Not ended when its last reader leaves: later streams carry on. */
    private final Sinks.Many<String> events = Sinks.many().multicast()
        .onBackpressureBuffer(Queues.SMALL_BUFFER_SIZE, false);

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    private final AtomicInteger healthChecks = new AtomicInteger();

    /** Open streams by address, readers passed through and the gateway's feeds apart. */
    private final Map<String, AtomicInteger> openStreams = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> openFeeds = new ConcurrentHashMap<>();

    private volatile Sinks.Empty<Void> ending = Sinks.empty();

    private volatile long lastSent;

    private volatile boolean ready = true;

    private volatile Duration healthDelay = Duration.ZERO;

    private volatile Duration feedDelay = Duration.ZERO;

    Upstream(String name) {
        this(name, 0);
    }

    /**
     * Its health endpoints answer as {@link #ready(boolean)} says, after {@link #healthAnswersAfter}. Besides streams, a path containing {@code /slow} answers after three seconds, one containing
     * {@code /unhurried} after half a second, and one containing
     * {@code /flaky} answers 503 the first time it is asked and normally after.
     * @param port the port to listen on; 0 for any free one
     */
    Upstream(String name, int port) {
        this.name = name;
        this.server = HttpServer.create()
            .host("localhost")
            .port(port)
            .handle((request, response) -> {
                if (request.uri().startsWith("/actuator/health")) {
                    healthChecks.incrementAndGet();
                    boolean answer = ready;
                    return response.status(answer ? 200 : 503)
                        .sendString(Mono.delay(healthDelay).thenReturn(answer ? "UP" : "DOWN")).then();
                }
                requests.add(Request.of(request));
                if (request.uri().contains("/flaky")
                    && failuresLeft.computeIfAbsent(request.uri(), uri -> new AtomicInteger(1)).getAndDecrement() > 0) {
                    return response.status(503).sendString(Mono.just("flaky")).then();
                }
                if (request.uri().contains("/slow")) {
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                        .sendString(Mono.delay(Duration.ofSeconds(3)).thenReturn(name + " slow"))
                        .then();
                }
                if (request.uri().contains("/unhurried")) {
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                        .sendString(Mono.delay(Duration.ofMillis(500)).thenReturn(name + " unhurried"))
                        .then();
                }
                if (request.uri().contains("/stream")) {
                    // As comment-service begins a stream: where it starts, and the retry delay.
                    String after = request.requestHeaders().get("Last-Event-ID", String.valueOf(lastSent));
                    Duration delay = request.requestHeaders().contains(StreamFeeds.FEED_HEADER) ? feedDelay
                        : Duration.ZERO;
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .sendString(Flux.concat(
                                Mono.delay(delay).thenReturn(":discussion after " + after + "\nretry:3000\n\n"),
                                events.asFlux().takeUntilOther(ending.asMono()))
                            .doOnSubscribe(subscription -> open(request).incrementAndGet())
                            .doFinally(signal -> open(request).decrementAndGet()))
                        .then();
                }
                return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .sendString(Mono.just(name + " " + request.method() + " " + request.uri()))
                    .then();
            })
            .bindNow();
    }

    String uri() {
        return "http://localhost:" + server.port();
    }

    int port() {
        return server.port();
    }

    /** Sends one server-sent event to the open stream. */
    void emit(long id, String eventName, String data) {
        lastSent = id;
        events.emitNext("id:" + id + "\nevent:" + eventName + "\ndata:" + data + "\n\n", Sinks.EmitFailureHandler.FAIL_FAST);
    }

    /** The events of a stream as a client reads them, without the comment lines and retry field that begin it. */
    static Flux<ServerSentEvent<String>> events(Flux<ServerSentEvent<String>> stream) {
        return stream.filter(event -> event.id() != null || event.event() != null);
    }

    /** Ends every open stream, as a service that shuts down does; streams opened later stay open. */
    void endStreams() {
        Sinks.Empty<Void> now = ending;
        ending = Sinks.empty();
        now.tryEmitEmpty();
    }

    /** How many streams of {@code uri} are open for readers passed through by the gateway. */
    int openStreams(String uri) {
        return openStreams.getOrDefault(uri, new AtomicInteger()).get();
    }

    /** How many streams of {@code uri} are open for the gateway's own feed of the article. */
    int openFeeds(String uri) {
        return openFeeds.getOrDefault(uri, new AtomicInteger()).get();
    }

    /** How many streams are open for the gateway's feeds, of any article. */
    int openFeeds() {
        return openFeeds.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private AtomicInteger open(HttpServerRequest request) {
        Map<String, AtomicInteger> counts = request.requestHeaders().contains(StreamFeeds.FEED_HEADER) ? openFeeds
            : openStreams;
        return counts.computeIfAbsent(request.uri(), uri -> new AtomicInteger());
    }

    /** The requests other than health checks. */
    List<Request> requests() {
        return requests;
    }

    /** Whether its readiness probe answers 200 (ready) or 503 (running but not ready to serve). */
    void ready(boolean ready) {
        this.ready = ready;
    }

    /** How long its health endpoints take to answer: a busy instance. */
    void healthAnswersAfter(Duration delay) {
        this.healthDelay = delay;
    }

    /** How long the streams of the gateway's feeds take to begin: a service slow to answer the first reader. */
    void feedsBeginAfter(Duration delay) {
        this.feedDelay = delay;
    }

    int healthChecks() {
        return healthChecks.get();
    }


    @Override
    public void close() {
        server.disposeNow();
    }

    record Request(String method, String uri, String lastEventId, String requestId, String authorization,
        String traceparent) {
        static Request of(HttpServerRequest request) {
            return new Request(request.method().name(), request.uri(), header(request, "Last-Event-ID"),
                header(request, "X-Request-Id"), header(request, "Authorization"), header(request, "traceparent"));
        }

        private static String header(HttpServerRequest request, String name) {
            String value = request.requestHeaders().get(name);
            return value == null ? "" : value;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
