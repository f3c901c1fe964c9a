package ma.majlis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ma.majlis.local.LocalTokens;

/**
 * {@code bench/run}: the whole benchmark, in one process, from start-up to the final health check, written to
 * bench/RESULTS.md. Settings are system properties (see bench/README.md).
 */
public final class Bench {

    /** The JVM options README recommends for each service, which the benchmark measures, but for the heap. */
    static final String RECOMMENDED_JAVA_OPTS = "-XX:+UseSerialGC -XX:MaxMetaspaceSize=160m"
        + " -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TrimNativeHeapInterval=5000"
        + " -XX:+ExitOnOutOfMemoryError";

    /** The gateway's heap: its default limits hold 10,000 readers of a feed in it, and 11,314 at most. */
    static final String RECOMMENDED_GATEWAY_HEAP = "-Xms160m -Xmx160m";

    /**
     * The heap of content-service and comment-service: each holds 33-36 MB of it after a full collection under load,
     * and 230-260 MiB beside it as measured, so that its resident set stays within 384 MB once the heap has been used
     * to its end (bench/FINDINGS.md, resident memory).
     */
    static final String RECOMMENDED_SERVICE_HEAP = "-Xms96m -Xmx96m";

    static final String GATEWAY = "http://127.0.0.1:8080";

    static final String COMMENTS = "http://127.0.0.1:8082";

    static final String CONTENT = "http://127.0.0.1:8081";

    static final String GATEWAY_MANAGEMENT = "http://127.0.0.1:8090";

    static final String BIG = "bench-ten-thousand";

    static final String SMALL = "bench-fifty";

    static final String STREAMED = "bench-streamed";

    static final int WRITE_ARTICLES = 20;

    /** The comment's position in its article's stream, in a POST's answer: the id of its event on the stream. */
    private static final Pattern SEQ = Pattern.compile("\"seq\":([0-9]+)");

    private final Path home;

    private final Path out;

    private final int runs = Integer.getInteger("bench.runs", 3);

    private final Duration load = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));

    private final int bigDiscussion = Integer.getInteger("bench.comments", 10_000);

    private final int warmStarts = Integer.getInteger("bench.warm-starts", 3);

    private final boolean coldStart = Boolean.parseBoolean(System.getProperty("bench.cold-start", "true"));

    private final List<Integer> readerCounts = Arrays.stream(System.getProperty("bench.readers", "100,1000,10000")
        .split(",")).map(String::strip).map(Integer::parseInt).toList();

    private final String javaOptions = System.getProperty("bench.java-opts",
        RECOMMENDED_SERVICE_HEAP + " " + RECOMMENDED_JAVA_OPTS);

    /** The gateway's: its own when given, else bench.java-opts when given, else the recommended ones. */
    private final String gatewayJavaOptions = System.getProperty("bench.gateway-java-opts",
        System.getProperty("bench.java-opts") != null ? javaOptions
            : RECOMMENDED_GATEWAY_HEAP + " " + RECOMMENDED_JAVA_OPTS);

    /** Which parts to run: all of them for RESULTS.md, one while working on what it measures. */
    private final Set<String> phases = Arrays.stream(System.getProperty("bench.phases",
        "start,reads,writes,gateway,streams").split(",")).map(String::strip).collect(Collectors.toSet());

    private final Api api = new Api();

    private final Results results = new Results();

    private final Wrk wrk;

    private Bench(Path home) {
        this.home = home;
        this.out = home.resolve("bench/out");
        this.wrk = new Wrk(out);
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("bench.home", ".")).toAbsolutePath().normalize();
        Path report = Path.of(System.getProperty("bench.report", home.resolve("bench/RESULTS.md").toString()));
        new Bench(home).run(report);
    }

    private void run(Path report) throws Exception {
        deleteRecursively(out);
        Files.createDirectories(out);
        OffsetDateTime began = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MAJLIS_LOCAL_DATA", out.resolve("data").toString());
        environment.put("MAJLIS_SERVICE_JAVA_OPTS", javaOptions);
        environment.put("MAJLIS_GATEWAY_JAVA_OPTS", gatewayJavaOptions);
        environment.put("MALLOC_ARENA_MAX", "2");
        // The gateway's write limit protects a real site from floods; the benchmark is the flood.
        environment.put("MAJLIS_RATE_LIMIT_PER_MINUTE", "100000000");
        environment.put("MAJLIS_RATE_LIMIT_BURST", "100000000");

        Map<String, Double> idleRss;
        Map<String, Map<String, Double>> loadRss = new LinkedHashMap<>();
        StackProcess stack = startUp(environment);
        try {
            Map<String, Long> pids = stack.servicePids();
            say("Services: " + pids);
            StackProcess.sleep(Duration.ofSeconds(10));
            idleRss = new LinkedHashMap<>();
            pids.forEach((name, pid) -> StackProcess.rssMiB(pid).ifPresent(rss -> idleRss.put(name, rss)));
            try (MemorySampler memory = new MemorySampler(pids)) {
                seed();
                warmUp(pids);
                memory.reset();
                if (phases.contains("reads")) {
                    reads();
                    loadRss.put("reads", memory.reset());
                }
                if (phases.contains("writes")) {
                    writes();
                    loadRss.put("writes", memory.reset());
                }
                if (phases.contains("gateway")) {
                    gatewayCost();
                    loadRss.put("gateway comparison", memory.reset());
                }
                if (phases.contains("streams")) {
                    streams(pids, memory, loadRss);
                }
            }
            memoryTable(idleRss, loadRss);
            finalCheck();
        }
        finally {
            stack.close();
        }
        write(report, began);
        say("Wrote " + report);
    }

    // 5. Start-up ------------------------------------------------------------------------------------------------

    private StackProcess startUp(Map<String, String> environment) {
        results.heading("Start-up of the local stack");
        results.line("From starting the launcher's jar (no build) until it prints `Majlis is up`, which it does when"
            + " every service reports ready, with command one's own JVM options (README: `MAJLIS_SERVICE_JAVA_OPTS`)."
            + " Cold: no data folder (the PostgreSQL cluster, the Kafka log, the databases, topics and migrations are"
            + " created) and the services' jars not yet unpacked, as after a build; that run records each service's"
            + " class archive as it stops. Warm: the data of the run before, and the class archives (README: \"Quick"
            + " starts\"). The stack for the loads is started after these, with the recommended production options,"
            + " and its start is shown too.\n");
        results.table("start", "runs", "seconds: median (min–max)");
        Map<String, String> commandOne = new LinkedHashMap<>(environment);
        commandOne.remove("MAJLIS_SERVICE_JAVA_OPTS");
        commandOne.remove("MAJLIS_GATEWAY_JAVA_OPTS");
        if (coldStart && phases.contains("start")) {
            deleteRecursively(out.resolve("data"));
            deleteRecursively(home.resolve("local-stack/target/quick-start"));
            StackProcess cold = new StackProcess(home, commandOne, out.resolve("stack-cold.log"));
            double seconds = cold.start(Duration.ofMinutes(4)).toMillis() / 1000.0;
            say("Cold start: " + seconds + " s");
            cold.close();
            results.row("cold", "1", Spread.number(seconds, 1));
        }
        List<Double> warm = new ArrayList<>();
        for (int i = 1; i <= (phases.contains("start") ? warmStarts : 0); i++) {
            try (StackProcess stack = new StackProcess(home, commandOne, out.resolve("stack-warm-" + i + ".log"))) {
                double seconds = stack.start(Duration.ofMinutes(4)).toMillis() / 1000.0;
                say("Warm start " + i + ": " + seconds + " s");
                warm.add(seconds);
            }
        }
        if (!warm.isEmpty()) {
            Spread spread = Spread.of(warm);
            results.row("warm", Integer.toString(warm.size()), spread.format(1));
            results.target("local stack warm start ≤ 30 s", spread.format(1) + " s", spread.median() <= 30);
        }
        StackProcess stack = new StackProcess(home, environment, out.resolve("stack.log"));
        double seconds = stack.start(Duration.ofMinutes(4)).toMillis() / 1000.0;
        if (stack.recordsClassArchives()) {
            // The loads run as every start after the first does: with the class archives mapped.
            say("First start with the recommended options (" + seconds + " s) records the class archives; stopping "
                + "it to start again with them");
            results.row("warm, recommended production options, first of this build (records the class archives)",
                "1", Spread.number(seconds, 1));
            stack.close();
            stack = new StackProcess(home, environment, out.resolve("stack.log"));
            seconds = stack.start(Duration.ofMinutes(4)).toMillis() / 1000.0;
        }
        say("Started for the loads, with the recommended options, in " + seconds + " s");
        results.row("warm, recommended production options (the stack for the loads)", "1", Spread.number(seconds, 1));
        return stack;
    }

    // Seeding ------------------------------------------------------------------------------------------------------

    private void seed() {
        String editor = LocalTokens.mint(LocalTokens.secret(out.resolve("data")), List.of("editor"));
        List<String> slugs = new ArrayList<>(List.of(BIG, SMALL, STREAMED));
        for (int i = 1; i <= WRITE_ARTICLES; i++) {
            slugs.add(writeArticle(i));
        }
        for (String slug : slugs) {
            api.publish(GATEWAY, editor, slug, "Benchmark article " + slug);
        }
        for (String slug : slugs) {
            api.awaitDiscussion(GATEWAY, slug, Duration.ofMinutes(2));
        }
        long started = System.nanoTime();
        api.seed(COMMENTS, BIG, bigDiscussion, 32);
        api.seed(COMMENTS, SMALL, 50, 8);
        say("Seeded " + bigDiscussion + " + 50 comments in " + (System.nanoTime() - started) / 1_000_000_000 + " s");
        awaitOutboxDrained();
    }

    private static String writeArticle(int i) {
        return "bench-writes-" + i;
    }

    private void awaitOutboxDrained() {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (api.metric(COMMENTS + "/actuator/prometheus", "majlis_outbox_backlog") != 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The outbox did not drain within 3 minutes");
            }
            StackProcess.sleep(Duration.ofMillis(500));
        }
    }

    // Warm-up ------------------------------------------------------------------------------------------------------

    private void warmUp(Map<String, Long> pids) {
        say("Warming up (JIT)...");
        for (String url : readUrls().values()) {
            wrk.get(url, 64, Duration.ofSeconds(8));
        }
        wrk.get(COMMENTS + page(BIG), 64, Duration.ofSeconds(8));
        wrk.postComments(GATEWAY, writeSlugs(), 16, Duration.ofSeconds(8));
        wrk.get(GATEWAY + page(BIG), 64, Duration.ofSeconds(8));
        awaitOutboxDrained();
        // The C2 compiler goes on for a while after the load stops; measuring before it settles measures it.
        for (int window = 0; window < 24; window++) {
            double before = pids.values().stream().mapToDouble(StackProcess::cpuSeconds).sum();
            StackProcess.sleep(Duration.ofSeconds(5));
            double used = pids.values().stream().mapToDouble(StackProcess::cpuSeconds).sum() - before;
            if (used < 0.5) {
                say("Quiet after " + (window + 1) * 5 + " s (" + used + " CPU s in the last 5 s)");
                return;
            }
        }
        say("The services were still busy two minutes after the warm-up; measuring anyway.");
    }

    // 1. Reads -----------------------------------------------------------------------------------------------------

    private static String page(String slug) {
        return "/api/articles/" + slug + "/comments?limit=50";
    }

    private Map<String, String> readUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("discussion page of 50, discussion of " + Spread.number(bigDiscussion, 0) + " comments",
            GATEWAY + page(BIG));
        urls.put("discussion page of 50, discussion of 50 comments", GATEWAY + page(SMALL));
        urls.put("article list (first page)", GATEWAY + "/api/articles");
        StringBuilder counts = new StringBuilder(GATEWAY + "/api/comment-counts?articles=" + BIG + "," + SMALL);
        for (int i = 1; i <= WRITE_ARTICLES; i++) {
            counts.append(',').append(writeArticle(i));
        }
        urls.put("comment counts of " + (WRITE_ARTICLES + 2) + " articles", counts.toString());
        return urls;
    }

    private void reads() {
        results.heading("1. Reads through the gateway");
        results.line("wrk, 2 threads, " + load.toSeconds() + " s a run, " + runs + " runs of each; median (min–max)"
            + " over the runs.\n");
        results.table("read", "connections", "requests/s", "p50 ms", "p99 ms", "failed");
        for (Map.Entry<String, String> read : readUrls().entrySet()) {
            for (int connections : List.of(16, 64)) {
                Measured measured = measure(() -> wrk.get(read.getValue(), connections, load));
                results.row(read.getKey(), Integer.toString(connections), measured.rate().format(0),
                    measured.p50().format(1), measured.p99().format(1), Long.toString(measured.failed()));
                if (read.getValue().endsWith(page(BIG)) && connections == 64) {
                    results.target("discussion page (10,000 comments) through the gateway, 64 connections: ≥ 2,000"
                        + " requests/s, p99 ≤ 50 ms", measured.rate().format(0) + " requests/s, p99 "
                        + measured.p99().format(1) + " ms", measured.rate().median() >= 2000
                        && measured.p99().median() <= 50 && measured.failed() == 0);
                }
            }
        }
    }

    /** A figure measured {@code runs} times. */
    record Measured(Spread rate, Spread p50, Spread p99, long failed, long requests) {
    }

    private Measured measure(Supplier<WrkResult> run) {
        List<WrkResult> all = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            all.add(run.get());
        }
        return new Measured(Spread.of(all.stream().map(WrkResult::requestsPerSecond).toList()),
            Spread.of(all.stream().map(WrkResult::p50Millis).toList()),
            Spread.of(all.stream().map(WrkResult::p99Millis).toList()),
            all.stream().mapToLong(result -> result.non2xx() + result.socketErrors()).sum(),
            all.stream().mapToLong(WrkResult::requests).sum());
    }

    // 2. Writes ----------------------------------------------------------------------------------------------------

    private List<String> writeSlugs() {
        List<String> slugs = new ArrayList<>();
        for (int i = 1; i <= WRITE_ARTICLES; i++) {
            slugs.add(writeArticle(i));
        }
        return slugs;
    }

    private void writes() {
        results.heading("2. Writes through the gateway");
        results.line("POST a comment, each with a body of its own (a wrk script), either all to one article or in"
            + " turn to " + WRITE_ARTICLES + " articles. Afterwards the harness checks that every acknowledged"
            + " comment is stored (comment counts) and waits until the outbox has published every event (the run"
            + " stops if it does not). Stored may exceed acknowledged: wrk stops counting at the end of a run, while"
            + " the requests it had in flight are still taken.\n");
        results.table("write", "connections", "requests/s", "p50 ms", "p99 ms", "failed", "acknowledged",
            "stored", "nothing lost");
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("one article", List.of(writeArticle(1)));
        cases.put(WRITE_ARTICLES + " articles", writeSlugs());
        for (Map.Entry<String, List<String>> write : cases.entrySet()) {
            for (int connections : List.of(16, 64)) {
                long before = storedIn(write.getValue());
                Measured measured = measure(() -> wrk.postComments(GATEWAY, write.getValue(), connections, load));
                long acknowledged = measured.requests() - measured.failed();
                awaitOutboxDrained();
                long stored = storedIn(write.getValue()) - before;
                results.row(write.getKey(), Integer.toString(connections), measured.rate().format(0),
                    measured.p50().format(1), measured.p99().format(1), Long.toString(measured.failed()),
                    Long.toString(acknowledged), Long.toString(stored), stored >= acknowledged ? "yes" : "**no**");
                if (connections == 64 && write.getValue().size() > 1) {
                    results.target("POST comment through the gateway: ≥ 1,000 requests/s, p99 ≤ 100 ms, nothing"
                        + " lost", measured.rate().format(0) + " requests/s, p99 " + measured.p99().format(1)
                        + " ms, " + acknowledged + " acknowledged, " + stored + " stored", measured.rate().median() >= 1000
                        && measured.p99().median() <= 100 && stored >= acknowledged && measured.failed() == 0);
                }
            }
        }
    }

    private long storedIn(List<String> slugs) {
        long sum = 0;
        for (String slug : slugs) {
            sum += api.commentCount(COMMENTS, slug);
        }
        return sum;
    }

    // 3. Gateway cost ----------------------------------------------------------------------------------------------

    private static final String NETTY_ALONE = "Reactor Netty alone";

    /** The gateway has been warmed up by the loads before; the proxy starts with this phase. */
    private static final Duration PROXY_WARM_UP = Duration.ofSeconds(60);

    private void gatewayCost() {
        results.heading("3. What the gateway costs");
        results.line("The same read (the discussion page of 50 on the big discussion) straight to comment-service,"
            + " through nginx (one worker, keep-alive upstream), through a proxy on Reactor Netty alone and through"
            + " the gateway, at 64 connections, the four in turn " + runs + " times in one run. The Reactor Netty"
            + " proxy is this benchmark's own (`NettyProxy`): the HTTP server and client the gateway runs on, with"
            + " the gateway's JVM options and what nginx does here, and no Spring (no routes, filters, security,"
            + " CORS, limits or observations); it is warmed up for " + PROXY_WARM_UP.toSeconds() + " s before the"
            + " runs. What the gateway costs above it is what Spring WebFlux, Spring Cloud Gateway and Majlis's"
            + " filters add.\n");
        Map<String, List<WrkResult>> byPath = new LinkedHashMap<>();
        try (Nginx nginx = new Nginx(out.resolve("nginx"), 8082).start();
             NettyProxy proxy = new NettyProxy(out.resolve("netty-proxy"), 8082, gatewayJavaOptions).start()) {
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("direct", COMMENTS + page(BIG));
            urls.put("nginx", "http://127.0.0.1:" + nginx.port() + page(BIG));
            urls.put(NETTY_ALONE, "http://127.0.0.1:" + proxy.port() + page(BIG));
            urls.put("gateway", GATEWAY + page(BIG));
            say("Warming up the Reactor Netty proxy...");
            wrk.get(urls.get(NETTY_ALONE), 64, PROXY_WARM_UP);
            for (int i = 0; i < runs; i++) {
                urls.forEach((name, url) -> byPath.computeIfAbsent(name, key -> new ArrayList<>())
                    .add(wrk.get(url, 64, load)));
            }
        }
        results.table("path", "requests/s", "p50 ms", "p99 ms", "failed");
        Map<String, Spread> rates = new LinkedHashMap<>();
        Map<String, Spread> p99s = new LinkedHashMap<>();
        byPath.forEach((name, list) -> {
            Spread rate = Spread.of(list.stream().map(WrkResult::requestsPerSecond).toList());
            Spread p99 = Spread.of(list.stream().map(WrkResult::p99Millis).toList());
            rates.put(name, rate);
            p99s.put(name, p99);
            results.row(name, rate.format(0), Spread.of(list.stream().map(WrkResult::p50Millis).toList()).format(1),
                p99.format(1), Long.toString(list.stream().mapToLong(r -> r.non2xx() + r.socketErrors()).sum()));
        });
        double throughputRatio = rates.get("gateway").median() / rates.get("nginx").median();
        double p99Ratio = p99s.get("gateway").median() / p99s.get("nginx").median();
        results.line("\nGateway ÷ nginx: throughput " + Spread.number(throughputRatio, 2) + ", p99 "
            + Spread.number(p99Ratio, 2) + ". Gateway ÷ direct: throughput "
            + Spread.number(rates.get("gateway").median() / rates.get("direct").median(), 2) + ".");
        results.line("\nReactor Netty alone ÷ nginx: throughput "
            + Spread.number(rates.get(NETTY_ALONE).median() / rates.get("nginx").median(), 2) + ", p99 "
            + Spread.number(p99s.get(NETTY_ALONE).median() / p99s.get("nginx").median(), 2) + ".");
        results.target("gateway ≥ 0.9 of nginx's throughput, p99 ≤ 1.5× nginx's", "throughput "
            + Spread.number(throughputRatio, 2) + ", p99 " + Spread.number(p99Ratio, 2) + "×",
            throughputRatio >= 0.9 && p99Ratio <= 1.5);
    }

    // 4. Streams ---------------------------------------------------------------------------------------------------

    private void streams(Map<String, Long> pids, MemorySampler memory, Map<String, Map<String, Double>> loadRss) {
        results.heading("4. Live streams through the gateway");
        results.line("N readers hold the stream of one article open through the gateway, one connection each, on"
            + " the one comment-service instance; the harness posts comments through the gateway and notes, for each"
            + " comment and reader, the time from the POST's answer to the event's arrival. \"Every reader got"
            + " every comment\" counts readers that have all of them, once each. CPU: what each process used from the"
            + " first POST until the last arrival (or the wait for it ended), in CPU seconds; the harness is this"
            + " benchmark's own process, readers and poster. Refused: readers answered 503 because the gateway or the"
            + " instance held as many streams or connections as its heap allows (README: MAJLIS_GATEWAY_STREAM_MAX_OPEN,"
            + " MAJLIS_MAX_CONNECTIONS); they are counted, not retried.\n");
        results.table("readers", "comments posted", "rate", "connected", "refused (503)", "POST → arrival p50 ms",
            "p99 ms",
            "max ms", "readers with every comment", "duplicates", "comment-service RSS MiB", "gateway RSS MiB",
            "CPU s: comment-service / gateway / harness");
        // The steady case first: the largest number of readers may exhaust a service, so it comes last.
        memory.reset();
        Streamed steady = stream(pids, 1000, 20 * (int) Math.max(5, load.toSeconds()), 20);
        Map<String, Double> peak = memory.reset();
        loadRss.put("1,000 readers, 20 comments/s", peak);
        streamRow(steady, "20/s", peak);
        results.target("1,000 readers, 20 comments/s: POST-to-arrival p99 ≤ 100 ms, every reader every comment",
            "p99 " + Spread.number(steady.p99(), 0) + " ms, " + steady.complete() + " of 1,000 complete",
            steady.complete() == 1000 && steady.p99() <= 100);
        for (int n : readerCounts) {
            memory.reset();
            Streamed streamed = stream(pids, n, 10, 2);
            Map<String, Double> phase = memory.reset();
            loadRss.put(n + " readers", phase);
            streamRow(streamed, "2/s", phase);
            if (n == 10_000) {
                results.target("10,000 readers on one instance: one comment reaches all, p99 ≤ 1 s",
                    "p99 " + Spread.number(streamed.p99(), 0) + " ms, " + streamed.complete() + " of " + n
                        + " readers got every comment", streamed.complete() == n && streamed.p99() <= 1000);
            }
        }
    }

    private void streamRow(Streamed streamed, String rate, Map<String, Double> peak) {
        results.row(Spread.number(streamed.readers(), 0), streamed.posted() + " of " + streamed.comments(), rate,
            Spread.number(streamed.connected(), 0), Spread.number(streamed.refused(), 0),
            Spread.number(streamed.p50(), 0),
            Spread.number(streamed.p99(), 0), Spread.number(streamed.max(), 0),
            Spread.number(streamed.complete(), 0), Long.toString(streamed.duplicates()),
            Spread.number(peak.getOrDefault("comment-service", 0.0), 0),
            Spread.number(peak.getOrDefault("gateway", 0.0), 0), Spread.number(streamed.cpuCommentService(), 1)
                + " / " + Spread.number(streamed.cpuGateway(), 1) + " / " + Spread.number(streamed.cpuHarness(), 1));
    }

    record Streamed(int readers, int comments, int posted, int connected, int refused, double p50, double p99,
        double max, int complete, long duplicates, double cpuCommentService, double cpuGateway, double cpuHarness) {
    }

    private Streamed stream(Map<String, Long> pids, int n, int comments, int perSecond) {
        say("Streams: " + n + " readers, " + comments + " comments at " + perSecond + "/s");
        try (StreamReaders readers = new StreamReaders(GATEWAY + "/api/articles/" + STREAMED + "/comments/stream",
            n)) {
            int connected = readers.awaitConnected(Duration.ofMinutes(3));
            say("  connected: " + connected + " of " + n + (readers.refused() > 0 ? ", refused " + readers.refused()
                : "") + (readers.ended() > 0 ? ", ended " + readers.ended() : ""));
            long harness = ProcessHandle.current().pid();
            double[] cpuBefore = { StackProcess.cpuSeconds(pids.get("comment-service")),
                StackProcess.cpuSeconds(pids.get("gateway")), StackProcess.cpuSeconds(harness) };
            Map<Long, Long> answered = postSteadily(comments, perSecond);
            List<Long> ids = new ArrayList<>(answered.keySet());
            readers.awaitArrivals(ids, Duration.ofSeconds(30));
            double[] cpu = { StackProcess.cpuSeconds(pids.get("comment-service")) - cpuBefore[0],
                StackProcess.cpuSeconds(pids.get("gateway")) - cpuBefore[1],
                StackProcess.cpuSeconds(harness) - cpuBefore[2] };
            List<Long> latencies = new ArrayList<>();
            answered.forEach((id, at) -> readers.arrivals(id).forEach(arrival -> latencies.add(arrival - at)));
            long[] millis = latencies.stream().mapToLong(nanos -> Math.round(nanos / 1e6)).toArray();
            int complete = readers.complete(ids);
            say("  complete: " + complete + " of " + n + "; " + millis.length + " arrivals");
            Streamed streamed = new Streamed(n, comments, answered.size(), connected, readers.refused(),
                millis.length == 0 ? Double.NaN : Spread.percentile(millis, 50),
                millis.length == 0 ? Double.NaN : Spread.percentile(millis, 99),
                millis.length == 0 ? Double.NaN : Arrays.stream(millis).max().getAsLong(), complete,
                readers.duplicates(), cpu[0], cpu[1], cpu[2]);
            return streamed;
        }
        finally {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (api.metric(COMMENTS + "/actuator/prometheus", "majlis_streams_open") > 0
                && System.nanoTime() < deadline) {
                StackProcess.sleep(Duration.ofMillis(250));
            }
        }
    }

    /**
     * POSTs {@code count} comments through the gateway at {@code perSecond}; when each was answered, by its position
     * in the article's stream.
     */
    private Map<Long, Long> postSteadily(int count, int perSecond) {
        Map<Long, Long> answered = new ConcurrentHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try {
            long periodMicros = 1_000_000L / perSecond;
            CountDownLatch all = new CountDownLatch(count);
            AtomicInteger next = new AtomicInteger();
            pace.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= count) {
                    return;
                }
                http.sendAsync(api.postRequest(GATEWAY, STREAMED, Api.comment("Streaming reader",
                        "Streamed comment " + i + " at " + System.nanoTime())),
                    HttpResponse.BodyHandlers.ofString())
                    .thenAccept(response -> {
                        long at = System.nanoTime();
                        Matcher seq = SEQ.matcher(response.body());
                        if (response.statusCode() == 201 && seq.find()) {
                            answered.put(Long.parseLong(seq.group(1)), at);
                        }
                        else {
                            say("  a streamed comment was refused: " + response.statusCode() + " " + response.body());
                        }
                    })
                    .whenComplete((ignored, error) -> all.countDown());
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            all.await(count / perSecond + 60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            pace.shutdownNow();
        }
        return answered;
    }

    /**
     * Whether the memory figures hold the whole heap. A serial collector empties its old generation only when it is
     * full, so a service that runs long enough has touched its whole heap; a run of minutes may not have.
     */
    private String heapResidence() {
        String preTouch = "-XX:+AlwaysPreTouch";
        boolean touched = javaOptions.contains(preTouch) && gatewayJavaOptions.contains(preTouch);
        return touched ? "Every heap is touched to its end at the start (`" + preTouch + "`), so each figure holds"
            + " the whole heap, as a service's does once it has run long enough to fill its old generation: these are"
            + " the ceilings."
            : "A heap is resident only as far as the loads have touched it, which a service that runs longer goes past:"
            + " these figures are not ceilings.";
    }

    /** The services' JVM options as the report names them. */
    private String options() {
        return gatewayJavaOptions.equals(javaOptions) ? "`" + javaOptions + "`"
            : "`" + javaOptions + "`, the gateway `" + gatewayJavaOptions + "`";
    }

    // 6. Memory ----------------------------------------------------------------------------------------------------

    private void memoryTable(Map<String, Double> idle, Map<String, Map<String, Double>> underLoad) {
        results.heading("6. Memory (resident set, MiB)");
        results.line("Each service runs with " + options() + " (README: the recommended settings) and"
            + " MALLOC_ARENA_MAX=2. Idle: 10 s after the start. Under load: the highest of the samples taken twice a"
            + " second during each phase. " + heapResidence() + "\n");
        List<String> header = new ArrayList<>(List.of("service", "idle"));
        header.addAll(underLoad.keySet());
        results.table(header.toArray(String[]::new));
        double worst = 0;
        for (String service : List.of("gateway", "content-service", "comment-service")) {
            List<String> row = new ArrayList<>(List.of(service, Spread.number(idle.getOrDefault(service, 0.0), 0)));
            for (Map<String, Double> phase : underLoad.values()) {
                double rss = phase.getOrDefault(service, 0.0);
                worst = Math.max(worst, rss);
                row.add(Spread.number(rss, 0));
            }
            results.row(row.toArray(String[]::new));
        }
        results.target("each service under load ≤ 384 MB RSS", "highest " + Spread.number(worst, 0) + " MiB",
            worst * 1024 * 1024 <= 384e6);
    }

    // The end ------------------------------------------------------------------------------------------------------

    private void finalCheck() {
        results.heading("After the runs");
        results.line("Every service is asked again whether it is ready and answers a normal read, after loads whose"
            + " generators closed their connections mid-answer:\n");
        results.table("check", "answer");
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("gateway readiness", GATEWAY_MANAGEMENT + "/actuator/health/readiness");
        checks.put("content-service readiness", CONTENT + "/actuator/health/readiness");
        checks.put("comment-service readiness", COMMENTS + "/actuator/health/readiness");
        checks.put("article list through the gateway", GATEWAY + "/api/articles");
        checks.put("discussion page through the gateway", GATEWAY + page(BIG));
        boolean allGood = true;
        for (Map.Entry<String, String> check : checks.entrySet()) {
            Api.Answer answer = api.get(check.getValue());
            allGood &= answer.status() == 200;
            results.row(check.getKey(), Integer.toString(answer.status()));
        }
        results.target("every service answers normally after the runs", allGood ? "all 200" : "see \"After the runs\"",
            allGood);
    }

    private void write(Path report, OffsetDateTime began) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# Benchmark results\n\n");
        text.append("Written by `bench/run` (bench/README.md says how to run it); every figure below comes from the"
            + " run that wrote this file. Nothing here is asserted by a test.\n\n");
        text.append("- Date: ").append(began.format(DateTimeFormatter.ISO_LOCAL_DATE)).append(" (began ")
            .append(began.format(DateTimeFormatter.ofPattern("HH:mm"))).append(" UTC)\n");
        text.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
            .append(cpuModel()).append(", ").append(memory()).append(" memory, ")
            .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
            .append("; host ").append(InetAddress.getLocalHost().getHostName()).append('\n');
        text.append("- JVM of the services: ").append(System.getProperty("java.vm.name")).append(' ')
            .append(System.getProperty("java.runtime.version")).append("; options ").append(options())
            .append('\n');
        text.append("- Everything on this one machine: PostgreSQL, Kafka, the three services, and the load"
            + " generators (wrk ").append(version(List.of("wrk", "-v"))).append(", nginx ")
            .append(version(List.of(Nginx.command(), "-v"))).append("); loads on 127.0.0.1 only.\n");
        text.append("- Settings: ").append(runs).append(" runs of ").append(load.toSeconds())
            .append(" s per figure; median (min–max) over the runs; the gateway's write limit raised out of the"
            + " way.\n");
        text.append("\n## Targets\n\n| target | measured | |\n|---|---|---|\n");
        for (String[] target : results.targets()) {
            text.append("| ").append(String.join(" | ", target)).append(" |\n");
        }
        text.append(results.text());
        Path findings = home.resolve("bench/FINDINGS.md");
        if (Files.exists(findings)) {
            text.append('\n').append(Files.readString(findings, StandardCharsets.UTF_8));
        }
        Files.writeString(report, text.toString(), StandardCharsets.UTF_8);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("CPU unknown");
        }
        catch (IOException ex) {
            return "CPU unknown";
        }
    }

    private static String memory() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(line -> line.startsWith("MemTotal")).findFirst()
                .map(line -> Spread.number(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0, 0)
                    + " GiB").orElse("unknown");
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

    private static String version(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            Matcher version = Pattern.compile("(\\d+\\.\\d+(\\.\\d+)?)").matcher(output);
            return version.find() ? version.group(1) : "unknown";
        }
        catch (IOException ex) {
            return "not found";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static void say(String message) {
        System.out.println("[bench " + OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
            "HH:mm:ss")) + "] " + message);
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
