package ma.majlis.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import ma.majlis.platform.web.FanOut;
import ma.majlis.platform.web.SharedChunks;
import ma.majlis.platform.web.StreamConnections;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * One stream from comment-service per article, shared by this gateway's readers of the article.
 *
 * <p>Without it, every reader is a stream of its own all the way to comment-service, and each event crosses two
 * connections per reader: comment-service writes it to the gateway, which reads it and writes it to the reader, each
 * a pass through a pipeline and a system call of its own. With a thousand readers at twenty comments a second, that
 * was more than two cores could do (bench/FINDINGS.md).
 *
 * <p>The first reader of an article makes the gateway open its feed of the article: a stream from comment-service,
 * through this gateway's own routing (so instances are chosen, skipped and retried as for any stream), whose first
 * line names the position it starts after. Readers wait for it to begin and join it, each written every event as it
 * comes, as one HTTP chunk encoded once and shared by all of them ({@link FanOut}, {@link SharedChunks}): a reader
 * without {@code Last-Event-ID} at once, one whose {@code Last-Event-ID} is the feed's last event too. Any other reader, behind or ahead, is passed through
 * ({@link StreamPassThrough}), and comment-service catches it up from its database; so is every reader when the feed
 * cannot begin (an unknown article: the reader gets comment-service's answer), or has not begun within the
 * gateway's response timeout ({@code MAJLIS_GATEWAY_RESPONSE_TIMEOUT}).
 *
 * <p>Readers wait for as long as the feed may take, not a shorter time of their own: a crowd arriving at a gateway
 * just started delays the feed's own request by a few seconds, and readers who gave up on it sooner would each be
 * piped through, which is what the feed is there to spare (bench/FINDINGS.md).
 *
 * <p>When the feed's stream ends (comment-service is shutting down, or failed), the streams of the readers who
 * joined it end too, and browsers reconnect with their {@code Last-Event-ID} as they do after any break: nothing is
 * lost. A feed without readers for {@link #IDLE} is closed.
 */
@Component
class StreamFeeds implements GlobalFilter, Ordered, ApplicationListener<WebServerInitializedEvent>, SmartLifecycle {

    /** The header that marks the feed's own request, with this process's token, so that it is passed through. */
    static final String FEED_HEADER = "X-Majlis-Stream-Feed";

    /** Events a joined reader's connection may hold back before the reader is let go, as in comment-service. */
    static final int BUFFER = 256;

    /** How long a feed stays open without readers, for a reader who reloads the page or comes back soon after. */
    static final Duration IDLE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(StreamFeeds.class);

    private final String token = UUID.randomUUID().toString();

    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    private final AtomicInteger piped = new AtomicInteger();

    private final ConnectionProvider connections = ConnectionProvider.builder("stream-feeds")
        .maxConnections(10_000)
        .build();

    /** Threads of their own, which stop with the feeds, before Reactor Netty's shared ones. */
    private final LoopResources loops = LoopResources.create("stream-feeds", 1, true);

    private final HttpClient client = HttpClient.create(connections).runOn(loops);

    /** How long a new feed may take to begin; after that it is given up and its readers are passed through. */
    private final Duration beginWithin;

    private volatile int port;

    private volatile boolean running;

    StreamFeeds(MeterRegistry meters, GatewaySettings settings) {
        this.beginWithin = settings.responseTimeout();
        Gauge.builder("majlis.gateway.stream.feeds", feeds, Map::size)
            .description("Streams this gateway holds from comment-service for itself, one per article it has readers"
                + " of (closed after " + IDLE.toSeconds() + " s without readers)")
            .register(meters);
        Gauge.builder("majlis.gateway.stream.feeds.readers", this, StreamFeeds::joinedReaders)
            .description("Readers served from this gateway's feeds, rather than by a stream of their own from"
                + " comment-service")
            .register(meters);
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // The management server starts one too, under a namespace of its own.
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    @Override
    public int getOrder() {
        // Once the stream limit has let the reader in.
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!StreamLimit.isStream(exchange) || request.getMethod() != HttpMethod.GET || isFeed(request)) {
            return chain.filter(exchange);
        }
        if (port == 0) {
            return pipe(exchange, chain);
        }
        String path = request.getPath().value();
        Feed feed = feeds.get(path);
        if (feed == null) {
            Feed fresh = new Feed(path);
            feed = feeds.putIfAbsent(path, fresh);
            if (feed == null) {
                feed = fresh;
                open(fresh);
            }
        }
        Feed joining = feed;
        ServerHttpResponse response = exchange.getResponse();
        Channel channel = StreamConnections.channel(response);
        return joining.whenReady().flatMap(ready -> {
            FeedReader reader = ready ? joining.join(channel, lastEventId(request)) : null;
            if (reader == null) {
                return pipe(exchange, chain);
            }
            StreamLimit.takenByFeed(exchange);
            // The filters let go of the exchange once the greeting is written; the events follow on their own.
            return reader.greet(response).then(Mono.defer(() -> ResponseHandover.handOver(response, reader::events)));
        });
    }

    /** A reader who does not join a feed: its stream is piped through to comment-service. */
    private Mono<Void> pipe(ServerWebExchange exchange, GatewayFilterChain chain) {
        return Mono.defer(() -> {
            piped.incrementAndGet();
            return chain.filter(exchange).doFinally(signal -> piped.decrementAndGet());
        });
    }

    /** How many readers are piped through to comment-service rather than served from a feed. */
    int pipedReaders() {
        return piped.get();
    }

    /** Whether the request is a feed's own, from this gateway. */
    boolean isFeed(ServerHttpRequest request) {
        return token.equals(request.getHeaders().getFirst(FEED_HEADER));
    }

    private static @Nullable String lastEventId(ServerHttpRequest request) {
        String header = request.getHeaders().getFirst("Last-Event-ID");
        String given = header != null && !header.isBlank() ? header
            : request.getQueryParams().getFirst("lastEventId");
        return given == null || given.isBlank() ? null : given.strip();
    }

    /** Opens the feed's stream from comment-service, through this gateway. */
    private void open(Feed feed) {
        feed.giveUpLaterIfNotBegun();
        client.headers(headers -> headers.set(FEED_HEADER, token)
                .set(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE))
            .get()
            .uri("http://127.0.0.1:" + port + feed.path)
            .response((answer, body) -> answer.status().code() == 200 ? body.asByteArray()
                : Flux.error(new IllegalStateException("answered " + answer.status())))
            .subscribe(feed);
    }

    /** How many readers have joined a feed. */
    int joinedReaders() {
        return feeds.values().stream().mapToInt(feed -> feed.readers.size()).sum();
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every feed, and so the streams of its readers, who reconnect (to another instance of the gateway), and
     * closes the feeds' connections, before the web server and Reactor Netty's own resources stop.
     */
    @Override
    public void stop() {
        running = false;
        feeds.values().forEach(Feed::close);
        connections.disposeLater().then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)))
            .block(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One article's stream from comment-service, and the readers who joined it. */
    private final class Feed implements CoreSubscriber<byte[]> {

        /** The stream's path, {@code /api/articles/{slug}/comments/stream}. */
        private final String path;

        private final List<FeedReader> readers = new CopyOnWriteArrayList<>();

        /** The bytes of a frame not complete yet; touched by the feed's connection only. */
        private byte[] partial = new byte[0];

        private @Nullable Subscription subscription;

        // Guarded by this.
        private @Nullable String lastId;

        private byte @Nullable [] greeting;

        private boolean closed;

        private long idleSince = System.nanoTime();

        /** Whether the feed began (true) or failed first (false). */
        private final Sinks.One<Boolean> ready = Sinks.one();

        Feed(String path) {
            this.path = path;
        }

        /**
         * Gives the feed up if its stream has not begun within {@code beginWithin} of its opening. Until it begins,
         * readers wait for it, so it is not idle ({@link #closeIfIdleLater} once it has begun).
         */
        void giveUpLaterIfNotBegun() {
            Mono.delay(beginWithin).subscribe(tick -> giveUpIfNotBegun());
        }

        private void giveUpIfNotBegun() {
            synchronized (this) {
                if (greeting != null || closed) {
                    return;
                }
            }
            log.warn("The stream of {} from comment-service has not begun within {} s, so the gateway gives up its"
                + " feed of the article and passes its readers through one by one; the next reader tries again. Is"
                + " comment-service overloaded or its database slow? (MAJLIS_GATEWAY_RESPONSE_TIMEOUT)", path,
                beginWithin.toSeconds());
            close();
        }

        void leave(FeedReader reader) {
            synchronized (this) {
                readers.remove(reader);
                if (!readers.isEmpty()) {
                    return;
                }
                idleSince = System.nanoTime();
            }
            closeIfIdleLater();
        }

        private void closeIfIdleLater() {
            Mono.delay(IDLE).subscribe(tick -> {
                synchronized (this) {
                    if (!readers.isEmpty() || System.nanoTime() - idleSince < IDLE.toNanos()) {
                        return;
                    }
                }
                log.debug("Closing the feed of {}: no reader joined it for {}.", path, IDLE);
                close();
            });
        }

        /**
         * True once the feed has begun, false if it failed first (an unknown article, say: the reader is passed
         * through and gets the service's answer) or was given up for taking longer than the response timeout.
         */
        Mono<Boolean> whenReady() {
            return ready.asMono();
        }

        /**
         * Takes a reader on {@code channel} who resumes after {@code lastEventId} (null: from now), if the feed can
         * serve it: it is ready, and the reader is not behind or ahead of it.
         */
        synchronized @Nullable FeedReader join(Channel channel, @Nullable String lastEventId) {
            if (closed || greeting == null || (lastEventId != null && !lastEventId.equals(lastId))) {
                return null;
            }
            FeedReader reader = new FeedReader(channel, greeting, this::leave);
            readers.add(reader);
            return reader;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(byte[] chunk) {
            byte[] bytes = partial.length == 0 ? chunk : concat(partial, chunk);
            int start = 0;
            for (int i = 0; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                    frame(Arrays.copyOfRange(bytes, start, i + 2));
                    start = i + 2;
                    i++;
                }
            }
            partial = start == bytes.length ? new byte[0] : Arrays.copyOfRange(bytes, start, bytes.length);
        }

        private void frame(byte[] frame) {
            String text = new String(frame, StandardCharsets.UTF_8);
            List<FeedReader> to;
            synchronized (this) {
                if (greeting == null) {
                    to = null;
                    greeting(text);
                    idleSince = System.nanoTime();
                }
                else {
                    String id = field(text, "id:");
                    if (id != null) {
                        lastId = id;
                    }
                    to = List.copyOf(readers);
                }
            }
            if (to == null) {
                // Readers waiting for the feed join it now (or, if it failed, are passed through).
                boolean begun = greeting != null && !closed;
                ready.tryEmitValue(begun);
                if (begun) {
                    closeIfIdleLater();
                }
                return;
            }
            ByteBuf shared = SharedChunks.encode(frame);
            try {
                FanOut.toEach(to, FeedReader::loop, shared, (reader, bytes) -> reader.deliver(bytes));
            }
            finally {
                if (shared != null) {
                    shared.release();
                }
            }
        }

        /** The stream's first frame: where it starts, and the retry delay, which joining readers are given too. */
        private void greeting(String hello) {
            String retry = field(hello, "retry:");
            int after = hello.indexOf(" after ");
            int end = hello.indexOf('\n');
            if (after < 0 || end < after) {
                log.warn("The stream of {} from comment-service began without its position ({}); readers of it are"
                    + " passed through one by one. Is comment-service older than this gateway?", path, hello.strip());
                close();
                return;
            }
            lastId = hello.substring(after + " after ".length(), end).strip();
            greeting = (hello.substring(0, after) + "\n" + (retry == null ? "" : "retry:" + retry + "\n") + "\n")
                .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void onError(Throwable error) {
            if (TolerantReadiness.isRefused(error)) {
                // The feed's request goes to this gateway itself, on the loopback address.
                log.warn("The gateway could not open its feed of {} through itself at 127.0.0.1:{} ({}), so its"
                    + " readers get a stream each from comment-service. Let the gateway listen on the loopback"
                    + " address too (server.address unset, or 0.0.0.0).", path, port, error.toString());
            }
            else {
                log.debug("The feed of {} from comment-service broke off ({}); its readers reconnect.", path,
                    error.toString());
            }
            close();
        }

        @Override
        public void onComplete() {
            close();
        }

        /** Ends the feed and the streams of its readers, who reconnect with their Last-Event-ID. */
        void close() {
            List<FeedReader> to;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                to = List.copyOf(readers);
            }
            ready.tryEmitValue(false);
            feeds.remove(path, this);
            if (subscription != null) {
                subscription.cancel();
            }
            to.forEach(FeedReader::close);
        }
    }

    private static @Nullable String field(String frame, String name) {
        for (String line : frame.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip();
            }
        }
        return null;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
