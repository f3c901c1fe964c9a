package ma.majlis.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * {@code n} readers of one article's stream of server-sent events, each on a connection of its own as a browser's
 * EventSource is, all on two event-loop threads. Each reader notes when each {@code comment.created} event reached
 * it, by comment id. A reader does not reconnect: a stream that ends is counted, and what it missed shows.
 */
final class StreamReaders implements AutoCloseable {

    private static final Pattern COMMENT_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final List<Reader> readers = new ArrayList<>();

    private final List<Disposable> subscriptions = new ArrayList<>();

    private final ConnectionProvider connections;

    private final LoopResources loops;

    private final AtomicInteger ended = new AtomicInteger();

    private final AtomicInteger refused = new AtomicInteger();

    StreamReaders(String url, int n) {
        connections = ConnectionProvider.builder("bench-readers")
            .maxConnections(n + 16)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofMinutes(2))
            .build();
        loops = LoopResources.create("bench-readers", 2, true);
        HttpClient client = HttpClient.create(connections)
            .runOn(loops)
            .headers(headers -> headers.set("Accept", "text/event-stream"));
        for (int i = 0; i < n; i++) {
            Reader reader = new Reader();
            readers.add(reader);
            subscriptions.add(client.get().uri(url)
                .response((response, body) -> {
                    if (response.status().code() != 200) {
                        refused.incrementAndGet();
                    }
                    return body.asByteArray();
                })
                .subscribe(reader::feed, error -> ended.incrementAndGet(), ended::incrementAndGet));
        }
    }

    /** Waits until every reader has its stream's first words (it is subscribed), or the time is up. */
    int awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Until every reader is subscribed, or has been refused or cut off.
        while (System.nanoTime() < deadline && connected() + ended.get() < readers.size()) {
            StackProcess.sleep(Duration.ofMillis(100));
        }
        return connected();
    }

    int connected() {
        int count = 0;
        for (Reader reader : readers) {
            count += reader.greeted ? 1 : 0;
        }
        return count;
    }

    /** Waits until every connected reader has every one of {@code commentIds}, or the time is up. */
    void awaitArrivals(List<String> commentIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int connected = connected();
        // Counting first, which costs next to nothing: the harness shares the cores with what it measures.
        while (System.nanoTime() < deadline && (withAtLeast(commentIds.size()) < connected
            || complete(commentIds) < connected)) {
            StackProcess.sleep(Duration.ofMillis(50));
        }
    }

    private int withAtLeast(int arrivals) {
        int count = 0;
        for (Reader reader : readers) {
            count += reader.arrivals.size() >= arrivals ? 1 : 0;
        }
        return count;
    }

    /** How many readers have every one of {@code commentIds}. */
    int complete(List<String> commentIds) {
        if (commentIds.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (Reader reader : readers) {
            if (reader.arrivals.keySet().containsAll(commentIds)) {
                count++;
            }
        }
        return count;
    }

    /** When the comment reached each reader that has it (System.nanoTime). */
    List<Long> arrivals(String commentId) {
        List<Long> times = new ArrayList<>();
        for (Reader reader : readers) {
            Long time = reader.arrivals.get(commentId);
            if (time != null) {
                times.add(time);
            }
        }
        return times;
    }

    /** Events that came more than once to the same reader. */
    long duplicates() {
        long count = 0;
        for (Reader reader : readers) {
            count += reader.duplicates;
        }
        return count;
    }

    int ended() {
        return ended.get();
    }

    int refused() {
        return refused.get();
    }

    int size() {
        return readers.size();
    }

    @Override
    public void close() {
        subscriptions.forEach(Disposable::dispose);
        connections.disposeLater().block(Duration.ofSeconds(30));
        loops.disposeLater().block(Duration.ofSeconds(30));
    }

    /** One reader: splits what arrives into events at blank lines and notes the created comments. */
    private static final class Reader {

        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        private final Map<String, Long> arrivals = new ConcurrentHashMap<>();

        private volatile boolean greeted;

        private volatile long duplicates;

        void feed(byte[] bytes) {
            long now = System.nanoTime();
            pending.write(bytes, 0, bytes.length);
            byte[] all = pending.toByteArray();
            int start = 0;
            for (int i = 0; i + 1 < all.length; i++) {
                if (all[i] == '\n' && all[i + 1] == '\n') {
                    event(new String(all, start, i - start, StandardCharsets.UTF_8), now);
                    start = i + 2;
                    i++;
                }
            }
            pending.reset();
            pending.write(all, start, all.length - start);
        }

        private void event(String text, long now) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith(":")) {
                    greeted = true;
                }
                else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                }
                else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
            if ("comment.created".equals(name)) {
                Matcher id = COMMENT_ID.matcher(data);
                if (id.find() && arrivals.putIfAbsent(id.group(1), now) != null) {
                    duplicates++;
                }
            }
        }
    }
}
