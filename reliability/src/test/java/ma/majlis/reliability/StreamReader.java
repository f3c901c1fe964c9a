package ma.majlis.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reader's browser following one discussion's stream through the gateway, as the widget does: the browser's
 * {@code EventSource} reconnects after the server's {@code retry} with {@code Last-Event-ID}; a refused stream
 * (any answer but 200) is tried again after 3 s from the last change received.
 */
final class StreamReader implements AutoCloseable {

    /** One change as the reader received it. */
    record Change(long id, String name, String data) {
    }

    final List<Change> changes = new CopyOnWriteArrayList<>();

    /** How many times the reader connected again after losing its stream. */
    final AtomicInteger reconnects = new AtomicInteger();

    /** How many connection attempts were answered with something other than a stream. */
    final AtomicInteger refusals = new AtomicInteger();

    private final HttpClient http;

    private final String url;

    private final Thread thread;

    private volatile boolean open;

    private volatile boolean closed;

    private volatile long lastId;

    private volatile long retryMillis = 3000;

    private volatile InputStream body = InputStream.nullInputStream();

    StreamReader(String gatewayUrl, String slug, long fromId) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.url = gatewayUrl + "/api/articles/" + slug + "/comments/stream";
        this.lastId = fromId;
        this.thread = new Thread(this::follow, "reader-" + slug);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the reader has a stream open just now. */
    boolean open() {
        return open;
    }

    /** The ids of the {@code comment.created} changes received, in order. */
    List<Long> created() {
        return changes.stream().filter(change -> change.name().equals("comment.created")).map(Change::id).toList();
    }

    private void follow() {
        boolean first = true;
        while (!closed) {
            if (!first) {
                reconnects.incrementAndGet();
            }
            first = false;
            long wait;
            try {
                wait = readOnce();
            }
            catch (IOException ex) {
                wait = retryMillis;
            }
            catch (InterruptedException ex) {
                return;
            }
            finally {
                open = false;
            }
            if (!closed) {
                try {
                    Thread.sleep(wait);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }

    /** Reads one connection to its end; returns how long to wait before the next. */
    private long readOnce() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", String.valueOf(lastId))
            .GET()
            .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            refusals.incrementAndGet();
            response.body().close();
            return 3000;
        }
        body = response.body();
        open = true;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0 && id != null) {
                        long seq = Long.parseLong(id);
                        changes.add(new Change(seq, name, data.toString()));
                        lastId = seq;
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                }
                else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                }
                else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                }
                else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
                else if (line.startsWith("retry:")) {
                    retryMillis = Long.parseLong(line.substring(6).strip());
                }
            }
        }
        return retryMillis;
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        }
        catch (IOException ex) {
            // Closing anyway.
        }
        thread.interrupt();
    }
}
