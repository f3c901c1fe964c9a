package ma.majlis.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import ma.majlis.local.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bounded soak of mixed reads, writes and streams through the gateway, on loopback. Before and after, each
 * service's heap after a full collection, its threads, its open file descriptors (sockets among them) and its
 * database connections are taken; what the load took must be given back.
 */
@DisplayName("Load")
@ExtendWith(Report.class)
class SoakIT {

    /** How long the load runs; {@code -Dmajlis.soak.duration=PT10M} for a longer soak. */
    static final Duration DURATION = Duration.parse(System.getProperty("majlis.soak.duration", "PT2M"));

    static final Duration WARM_UP = Duration.ofSeconds(20);

    static final int READERS = 8;

    static final int STREAMS = 30;

    /**
     * Descriptors a process may hold beyond its count at rest before the load: the suite's own keep-alive
     * connections to the gateway (its HTTP client keeps about ten), which the gateway closes only after
     * MAJLIS_IDLE_TIMEOUT.
     */
    static final int DESCRIPTOR_SLACK = 16;

    final Stack stack = Stack.shared();

    final Api api = new Api(stack.gatewayUrl());

    @Test
    @DisplayName("Mixed reads (8 clients), writes (10 comments a second) and 30 open streams through the gateway")
    void nothingFailsAndNothingGrows(Report.Finding finding) throws Exception {
        finding.figure("duration", DURATION.toSeconds() + " s after a " + WARM_UP.toSeconds() + " s warm-up");
        finding.checks("every request answers 2xx; every stream reader gets every comment of its discussion once, in "
            + "order; at rest afterwards, each process's heap after a full GC (within 32 MB or a quarter), threads "
            + "(within 8), file descriptors (within 16) are back to what they were at rest before, and no database "
            + "connection or stream is held");
        List<String> slugs = List.of("reliability-soak-1", "reliability-soak-2", "reliability-soak-3");
        for (String slug : slugs) {
            api.publishArticle(stack.token("editor"), slug, "Soak " + slug);
        }
        List<ServiceProcess> services = List.of(stack.content, stack.comments, stack.otherComments, stack.gateway);

        // What each process holds at rest, before the load; compared with what it holds at rest after it.
        Map<String, Usage> before = usage(services);
        Load load = new Load(slugs);
        load.start();
        Stack.pause(WARM_UP);
        load.measuring.set(true);
        Stack.pause(DURATION);
        load.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> streamsOpen() == 0);
        // Idle connections are closed by the pools' own timers (the gateway's after MAJLIS_GATEWAY_POOL_MAX_IDLE).
        long restStart = System.nanoTime();
        for (ServiceProcess service : services) {
            long allowed = before.get(service.name()).descriptors() + DESCRIPTOR_SLACK;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> descriptors(service.pid()) <= allowed);
        }
        finding.figure("back at rest", (System.nanoTime() - restStart) / 1_000_000_000 + " s after the load");
        Map<String, Usage> after = usage(services);

        finding.figure("requests", load.answered.get() + " (" + load.answered.get() / Math.max(1, DURATION.toSeconds())
                + " a second)")
            .figure("GET p50/p99", percentile(load.reads, 50) + "/" + percentile(load.reads, 99) + " ms")
            .figure("POST p50/p99", percentile(load.writes, 50) + "/" + percentile(load.writes, 99) + " ms")
            .figure("comments streamed", load.posted.values().stream().mapToInt(List::size).sum() + ", each to the "
                + STREAMS / load.slugs.size() + " readers of its discussion");
        for (ServiceProcess service : services) {
            Usage was = before.get(service.name());
            Usage is = after.get(service.name());
            finding.figure(service.name(), String.format(Locale.ROOT,
                "heap after GC %d→%d MB, RSS %d→%d MB, threads %d→%d, descriptors %d→%d", was.heapMb(), is.heapMb(),
                was.rssMb(), is.rssMb(), was.threads(), is.threads(), was.descriptors(), is.descriptors()));
        }

        assertThat(load.failures).as("requests that did not answer 2xx").isEmpty();
        List<Long> all = load.posted.values().stream().flatMap(List::stream).sorted().toList();
        assertThat(all).as("comments acknowledged").isNotEmpty();
        for (Map.Entry<StreamReader, String> reader : load.streamReaders.entrySet()) {
            List<Long> expected = load.posted.getOrDefault(reader.getValue(), List.of()).stream().sorted().toList();
            List<Long> received = reader.getKey().created().stream().filter(expected::contains).toList();
            assertThat(received).as("a reader of " + reader.getValue()).containsExactlyElementsOf(expected);
        }
        for (ServiceProcess service : services) {
            Usage was = before.get(service.name());
            Usage is = after.get(service.name());
            assertThat(is.heapMb()).as(service.name() + " heap after GC, MB")
                .isLessThanOrEqualTo(Math.max(was.heapMb() + 32, was.heapMb() * 5 / 4));
            assertThat(is.threads()).as(service.name() + " threads").isLessThanOrEqualTo(was.threads() + 8);
            assertThat(is.descriptors()).as(service.name() + " open descriptors")
                .isLessThanOrEqualTo(was.descriptors() + DESCRIPTOR_SLACK);
            // Background work (the relay, the notifier, the metrics) takes a connection now and then; a leaked one
            // is never given back.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Metrics.sum(Metrics.scrape(stack, service), "r2dbc_pool_acquired_connections", ""))
                    .as(service.name() + " database connections held").isZero());
        }
    }

    /** The load: reading clients, posting clients and stream readers, all through the gateway. */
    final class Load {

        final List<String> slugs;

        final AtomicBoolean running = new AtomicBoolean(true);

        final AtomicBoolean measuring = new AtomicBoolean(false);

        final AtomicInteger answered = new AtomicInteger();

        final ConcurrentLinkedQueue<Long> reads = new ConcurrentLinkedQueue<>();

        final ConcurrentLinkedQueue<Long> writes = new ConcurrentLinkedQueue<>();

        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        final Map<String, List<Long>> posted = new ConcurrentHashMap<>();

        final Map<StreamReader, String> streamReaders = new LinkedHashMap<>();

        final ExecutorService clients = Executors.newFixedThreadPool(READERS + 1);

        Load(List<String> slugs) {
            this.slugs = slugs;
        }

        void start() {
            for (int i = 0; i < STREAMS; i++) {
                String slug = slugs.get(i % slugs.size());
                streamReaders.put(new StreamReader(stack.gatewayUrl(), slug, 0), slug);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> streamReaders.keySet().stream()
                .allMatch(StreamReader::open));
            List<Supplier<Api.Answer>> gets = new ArrayList<>();
            for (String slug : slugs) {
                gets.add(() -> api.get("/api/articles/" + slug + "/comments?limit=50"));
                gets.add(() -> api.get("/api/articles/" + slug + "/comments?sort=newest&limit=20"));
                gets.add(() -> api.get("/api/articles/" + slug));
                gets.add(() -> api.get("/api/articles/" + slug + "/comments.atom"));
            }
            gets.add(() -> api.get("/api/articles?limit=20"));
            gets.add(() -> api.get("/api/comment-counts?articles=" + String.join(",", slugs)));
            for (int i = 0; i < READERS; i++) {
                int offset = i;
                clients.execute(() -> {
                    int n = offset;
                    while (running.get()) {
                        record(gets.get(n++ % gets.size()).get(), reads, 200);
                    }
                });
            }
            clients.execute(() -> {
                long next = System.nanoTime();
                int n = 0;
                while (running.get()) {
                    String slug = slugs.get(n % slugs.size());
                    Api.Answer answer = api.comment(slug, "Soak reader " + n % 11, "Soak comment " + n + ": **"
                        + "words** and a [link](https://example.ma/" + n + ")");
                    if (record(answer, writes, 201)) {
                        posted.computeIfAbsent(slug, key -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(answer.json().get("comment").get("seq").asLong());
                    }
                    n++;
                    next += TimeUnit.MILLISECONDS.toNanos(100);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Stack.pause(Duration.ofNanos(wait));
                    }
                }
            });
        }

        private boolean record(Api.Answer answer, ConcurrentLinkedQueue<Long> times, int expected) {
            answered.incrementAndGet();
            if (answer.status() != expected) {
                failures.add(answer.toString());
                return false;
            }
            if (measuring.get()) {
                times.add(answer.took().toMillis());
            }
            return true;
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            // Let the last comments reach the streams before the readers leave.
            List<Long> last = posted.values().stream().flatMap(List::stream).toList();
            await().atMost(Duration.ofSeconds(30)).until(() -> streamReaders.entrySet().stream().allMatch(reader ->
                reader.getKey().created().containsAll(posted.getOrDefault(reader.getValue(), List.of()))));
            streamReaders.keySet().forEach(StreamReader::close);
            assertThat(last).isNotEmpty();
        }
    }

    /** What one service process holds. */
    record Usage(long heapMb, long rssMb, long threads, long descriptors) {
    }

    private Map<String, Usage> usage(List<ServiceProcess> services) throws Exception {
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (ServiceProcess service : services) {
            long pid = service.pid();
            runGc(pid);
            Map<String, Double> metrics = Metrics.scrape(stack, service);
            long heap = (long) (Metrics.sum(metrics, "jvm_memory_used_bytes{", "area=\"heap\"") / (1024 * 1024));
            long threads = (long) Metrics.sum(metrics, "jvm_threads_live_threads", "");
            usage.put(service.name(), new Usage(heap, rssMb(pid), threads, descriptors(pid)));
        }
        return usage;
    }

    private long streamsOpen() {
        long open = 0;
        for (ServiceProcess service : List.of(stack.comments, stack.otherComments)) {
            open += (long) Metrics.sum(Metrics.scrape(stack, service), "majlis_streams_open", "");
        }
        return open;
    }

    /** Asks the service's JVM for a full collection, so that the heap shows what is kept, not what is garbage. */
    private static void runGc(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
        jcmd.getInputStream().readAllBytes();
        jcmd.waitFor(30, TimeUnit.SECONDS);
    }

    private static long descriptors(long pid) throws IOException {
        try (var entries = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return entries.count();
        }
    }

    private static long rssMb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
            .filter(line -> line.startsWith("VmRSS:"))
            .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
            .findFirst().orElse(-1);
    }

    private static long percentile(ConcurrentLinkedQueue<Long> times, int percentile) {
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
