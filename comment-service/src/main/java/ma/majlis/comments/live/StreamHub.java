package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import ma.majlis.platform.web.FanOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.MonoSink;
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's readers, per article, and the way each change reaches them.
 *
 * <p>A change is written as the bytes of its event once, outside the heap, and every reader's connection is handed
 * the same bytes: one task per event loop writes it to that loop's readers, so a change to thousands of readers costs
 * a write and a flush a reader and little else. What a single reader does with it is {@link LiveStream}'s business.
 *
 * <p>When the service shuts down, the hub ends every stream first, before the web server waits for requests in
 * flight: readers are told to reconnect, and do so to another instance, instead of holding the shutdown up until
 * its timeout.
 */
public class StreamHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final Map<UUID, Set<LiveStream>> readers = new ConcurrentHashMap<>();

    private final AtomicInteger open = new AtomicInteger();

    private final StreamSettings settings;

    private final StreamHistory history;

    private final JsonMapper json;

    private final byte[] lastWord;

    private volatile boolean running;

    public StreamHub(StreamSettings settings, StreamHistory history, JsonMapper json) {
        this.settings = settings;
        this.history = history;
        this.json = json;
        this.lastWord = (":this instance is shutting down; reconnect\nretry:" + settings.retry().toMillis() + "\n\n")
            .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts a reader's stream of the article on {@code channel}, whose response has begun, with the changes after
     * position {@code after}; completes {@code end} when the stream is over.
     */
    public void open(UUID articleId, long after, Channel channel, MonoSink<Void> end) {
        LiveStream stream = new LiveStream(this, articleId, channel, end);
        readers.compute(articleId, (id, forArticle) -> {
            Set<LiveStream> set = forArticle != null ? forArticle : ConcurrentHashMap.newKeySet();
            set.add(stream);
            return set;
        });
        open.incrementAndGet();
        end.onDispose(stream::close);
        channel.closeFuture().addListener(closed -> stream.close());
        if (running) {
            stream.start(after);
        }
        else {
            // Shutting down began since the reader was let in.
            stream.shutDown(lastWord);
        }
    }

    /** Hands a change to every reader of its article. Called from one thread: the live feed's. */
    public void publish(StreamEvent event) {
        Set<LiveStream> forArticle = readers.get(event.articleId());
        if (forArticle == null) {
            return;
        }
        ByteBuf frame = FanOut.shared(event.frame(json));
        try {
            FanOut.toEach(forArticle, LiveStream::loop, frame, (stream, bytes) -> stream.live(event, bytes));
        }
        finally {
            if (frame != null) {
                frame.release();
            }
        }
    }

    void remove(LiveStream stream) {
        // Atomic per article with open(), so an article's entry goes when its last reader does.
        readers.compute(stream.articleId(), (id, forArticle) -> {
            if (forArticle == null) {
                return null;
            }
            if (forArticle.remove(stream)) {
                open.decrementAndGet();
            }
            return forArticle.isEmpty() ? null : forArticle;
        });
    }

    StreamSettings settings() {
        return settings;
    }

    StreamHistory history() {
        return history;
    }

    JsonMapper json() {
        return json;
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
        for (Set<LiveStream> forArticle : readers.values()) {
            for (LiveStream stream : forArticle) {
                stream.shutDown(lastWord);
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
