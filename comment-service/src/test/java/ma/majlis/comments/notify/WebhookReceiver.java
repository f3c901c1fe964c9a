package ma.majlis.comments.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that receives webhook calls, keeps each one, and answers with the status its
 * script gives for the n-th call (after an optional delay): a site that is down, flaky or slow.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One call as received. */
    record Call(Map<String, List<String>> headers, String body, int answered) {

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private final AtomicInteger count = new AtomicInteger();

    private volatile IntUnaryOperator script;

    private volatile long delayMillis;

    WebhookReceiver(IntUnaryOperator script) {
        this.script = script;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = this.script.applyAsInt(count.incrementAndGet());
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            calls.add(new Call(Map.copyOf(exchange.getRequestHeaders()), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers every call with 204. */
    static WebhookReceiver accepting() {
        return new WebhookReceiver(n -> 204);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/majlis";
    }

    void answer(IntUnaryOperator script) {
        this.script = script;
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> accepted() {
        return calls.stream().filter(call -> call.answered() >= 200 && call.answered() < 300).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
