package ma.majlis.comments.live;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * This instance's readers, per article. Each reader has a bounded buffer of its own; an event that does not fit
 * closes that reader's stream (it reconnects with {@code Last-Event-ID} and catches up from the database), so a
 * slow reader never holds up the others.
 *
 * <p>When the service shuts down, the hub ends every stream first ({@link ShuttingDown}), before the web server
 * waits for requests in flight: readers are told to reconnect, and do so to another instance, instead of holding
 * the shutdown up until its timeout.
 */
public class StreamHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final Map<UUID, Set<Subscription>> readers = new ConcurrentHashMap<>();

    private final AtomicInteger open = new AtomicInteger();

    private final int buffer;

    private volatile boolean running;

    public StreamHub(int buffer) {
        this.buffer = buffer;
    }

    /** Thrown into a reader's stream when it fell too far behind. */
    public static final class Overflow extends RuntimeException {

        Overflow() {
            super("The reader fell behind by more than its buffer", null, false, false);
        }
    }

    /** Thrown into every reader's stream when this instance shuts down. */
    public static final class ShuttingDown extends RuntimeException {

        ShuttingDown() {
            super("This instance is shutting down", null, false, false);
        }
    }

    /** One reader's live events, from the moment it subscribed. */
    public final class Subscription {

        private final UUID articleId;

        private final Sinks.Many<StreamEvent> sink = Sinks.many().unicast()
            .onBackpressureBuffer(Queues.<StreamEvent>get(buffer).get());

        private Subscription(UUID articleId) {
            this.articleId = articleId;
        }

        public Flux<StreamEvent> events() {
            return sink.asFlux();
        }

        /** Stops delivering to this reader. */
        public void cancel() {
            // Atomic per article with subscribe(), so an article's entry goes when its last reader does.
            readers.compute(articleId, (id, forArticle) -> {
                if (forArticle == null) {
                    return null;
                }
                if (forArticle.remove(this)) {
                    open.decrementAndGet();
                }
                return forArticle.isEmpty() ? null : forArticle;
            });
        }

        private void offer(StreamEvent event) {
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                cancel();
                sink.tryEmitError(new Overflow());
            }
        }

        private void end() {
            cancel();
            // The live feed's thread may be emitting to this sink at this very moment: retry until it is done,
            // or the error would be dropped and the stream left open.
            sink.emitError(new ShuttingDown(), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }
    }

    /** Registers a reader of the article; events published from now on reach it. */
    public Subscription subscribe(UUID articleId) {
        Subscription subscription = new Subscription(articleId);
        readers.compute(articleId, (id, forArticle) -> {
            Set<Subscription> set = forArticle != null ? forArticle : ConcurrentHashMap.newKeySet();
            set.add(subscription);
            return set;
        });
        open.incrementAndGet();
        return subscription;
    }

    /** Hands an event to every reader of its article. Called from one thread: the live feed's. */
    public void publish(StreamEvent event) {
        Set<Subscription> forArticle = readers.get(event.articleId());
        if (forArticle == null) {
            return;
        }
        for (Subscription subscription : forArticle) {
            subscription.offer(event);
        }
    }

    /** Whether the hub takes new readers: from start until the service begins to shut down. */
    public boolean isOpen() {
        return running;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every open stream: each reader gets a last word and reconnects, to another instance. */
    @Override
    public void stop() {
        running = false;
        log.info("Ending {} open streams: this instance is shutting down, and their readers reconnect to another.",
            open.get());
        for (Set<Subscription> forArticle : readers.values()) {
            for (Subscription subscription : forArticle) {
                subscription.end();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown (a lower phase), which would otherwise wait for the streams. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    /** How many streams are open on this instance. */
    public int openStreams() {
        return open.get();
    }
}
