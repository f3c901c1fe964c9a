package ma.majlis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that go away in the middle of an answer, as a load generator closing its connections or a reader closing
 * the tab does: each request is sent, and once the first bytes of the answer have arrived the connection is reset
 * (SO_LINGER 0), while the service is still writing. A service whose handlers leak what they hold when cancelled
 * (an R2DBC connection, a stream's subscription) stops answering after enough of these.
 */
public final class CancelStorm {

    private CancelStorm() {
    }

    /**
     * What a storm did.
     * @param cutMidAnswer requests answered, then cut off after the answer's first bytes
     * @param cutBeforeAnswer requests cut off a few milliseconds after they were sent, answered or not
     */
    public record Result(int sent, int cutMidAnswer, int cutBeforeAnswer, int failedToConnect) {

        /** Fails unless the service took every request, and answered at least the half cut after its answer. */
        public void assertEveryRequestTaken() {
            assertThat(failedToConnect).as("requests the service did not take or answer").isZero();
            assertThat(cutMidAnswer).as("requests answered, then cut off").isGreaterThanOrEqualTo(sent / 2);
        }
    }

    /** Waits until the service's connection pool holds no connection and nobody waits for one. */
    public static void awaitNothingHeld(ConnectionFactory connections) {
        PoolMetrics pool = ((ConnectionPool) connections).getMetrics().orElseThrow();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(pool.acquiredSize()).as("connections still held after the storm").isZero();
            assertThat(pool.pendingAcquireSize()).isZero();
        });
    }

    /** Fails unless each of {@code paths} answers 200 within 5 s, whole. */
    public static void assertAnswered(int port, List<String> paths) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String path : paths) {
            try {
                HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
                assertThat(answer.statusCode()).as("GET %s after the storm", path).isEqualTo(200);
            }
            catch (IOException ex) {
                throw new AssertionError("GET " + path + " after the storm got no answer: " + ex, ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", ex);
            }
        }
    }

    /**
     * Sends {@code perPath} GETs of each of {@code paths} to 127.0.0.1:{@code port}, {@code concurrency} at a time:
     * every other one cut off after the answer's first bytes, the others 0 to 5 ms after they were sent (while the
     * service may still be querying, as {@code curl -m 0.005} does).
     */
    public static Result cut(int port, List<String> paths, int perPath, int concurrency) {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        AtomicInteger cut = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < perPath; i++) {
                boolean waitForAnswer = i % 2 == 0;
                for (String path : paths) {
                    sent.add(clients.submit(() -> {
                        if (!cutOnce(port, path, waitForAnswer)) {
                            failed.incrementAndGet();
                        }
                        else if (waitForAnswer) {
                            cut.incrementAndGet();
                        }
                        else {
                            early.incrementAndGet();
                        }
                    }));
                }
            }
            for (Future<?> request : sent) {
                request.get(30, TimeUnit.SECONDS);
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("The cancel storm itself failed: " + ex, ex);
        }
        finally {
            clients.shutdownNow();
        }
        return new Result(sent.size(), cut.get(), early.get(), failed.get());
    }

    private static boolean cutOnce(int port, String path, boolean waitForAnswer) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean answered = true;
            if (waitForAnswer) {
                InputStream in = socket.getInputStream();
                answered = in.read() >= 0;
            }
            else {
                Thread.sleep(ThreadLocalRandom.current().nextInt(6));
            }
            // Reset rather than close: the service sees the connection vanish while it works or writes.
            socket.setSoLinger(true, 0);
            return answered;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
