package ma.majlis.comments.live;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * This instance's readers, per article. Each reader has a bounded buffer of its own; an event that does not fit
 * closes that reader's stream (it reconnects with {@code Last-Event-ID} and catches up from the database), so a
 * slow reader never holds up the others.
 */
public class StreamHub {

    private final Map<UUID, Set<Subscription>> readers = new ConcurrentHashMap<>();

    private final AtomicInteger open = new AtomicInteger();

    private final int buffer;

    public StreamHub(int buffer) {
        this.buffer = buffer;
    }

    /** Thrown into a reader's stream when it fell too far behind. */
    public static final class Overflow extends RuntimeException {

        Overflow() {
            super("The reader fell behind by more than its buffer", null, false, false);
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

    /** How many streams are open on this instance. */
    public int openStreams() {
        return open.get();
    }
}
