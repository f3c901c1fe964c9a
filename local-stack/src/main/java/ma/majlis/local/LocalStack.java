package ma.majlis.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;

import ma.majlis.infra.Databases;
import ma.majlis.infra.EmbeddedPostgresServer;
import ma.majlis.infra.KafkaKraftBroker;
import ma.majlis.infra.Ports;
import ma.majlis.infra.Topics;

/**
 * README command one: starts a real PostgreSQL, a real Kafka broker (KRaft) and the three services on this
 * machine, waits until every part is ready, prints where they answer, and stops them all on Ctrl-C or SIGTERM.
 *
 * <p>The services run as child processes from their jars, as they run in production; a small agent in each
 * makes it exit when this launcher's process ends, however it ends.
 */
public final class LocalStack {

    /** Printed once every part is ready; tests and scripts wait for it. */
    static final String READY_LINE = "Majlis is up";

    /** Printed at the first start of a build (or of other JVM options); the benchmarks look for it. */
    public static final String RECORDING_LINE = "First start of this build (or of these JVM options): each service "
        + "records the classes it loads and saves them as it stops, so that later starts are quicker.";

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);

    /** A run that records its class archive writes it as it exits: 75 to 100 MB each, on the same cores. */
    private static final Duration RECORDING_STOP_GRACE = Duration.ofMinutes(2);

    private final LocalSettings settings;

    private final long startedAt = System.nanoTime();

    private final Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();

    private final List<ServiceProcess> services = new ArrayList<>();

    private final Map<String, QuickStart> quickStarts = new ConcurrentHashMap<>();

    private LocalStack(LocalSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("majlis.home", ".")).toAbsolutePath().normalize();
        LocalSettings settings;
        try {
            settings = LocalSettings.from(System.getenv(), home);
        }
        catch (LocalSettings.InvalidSetting ex) {
            fail(ex.getMessage());
            return;
        }
        if (args.length > 0 && args[0].equals("token")) {
            // ./run-local token editor moderator: a token for trying the protected endpoints, and nothing else.
            try {
                System.out.println(LocalTokens.mint(LocalTokens.secret(settings.dataDirectory()),
                    java.util.Arrays.asList(args).subList(1, args.length)));
            }
            catch (IllegalArgumentException ex) {
                fail(ex.getMessage());
            }
            return;
        }
        System.setProperty("majlis.logs", settings.dataDirectory().resolve("logs").toString());
        LocalStack stack = new LocalStack(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "majlis-local-stop"));
        try {
            stack.start();
        }
        catch (StartFailure ex) {
            // Exit through the shutdown hook, so whatever had started is stopped again.
            fail(ex.getMessage());
            return;
        }
        catch (RuntimeException ex) {
            fail("The local stack could not start: " + ex.getMessage() + " (details in "
                + settings.dataDirectory().resolve("logs") + ")");
            return;
        }
        awaitTermination();
    }

    private void start() {
        Path data = settings.dataDirectory();
        Path logs = data.resolve("logs");
        createDirectories(logs);
        lockDataDirectory(data);
        stopLeftOvers(data);
        checkPortsAreFree();
        Jars jars = Jars.in(settings.home());
        Map<String, Path> packaged = new LinkedHashMap<>();
        packaged.put("content-service", jars.contentService());
        packaged.put("comment-service", jars.commentService());
        packaged.put("gateway", jars.gateway());
        List<Thread> unpacking = prepareQuickStarts(packaged, jars.agent());

        say("Starting PostgreSQL (data in " + data.resolve("postgres") + ")");
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startDurable(data.resolve("postgres"),
            settings.port(LocalSettings.POSTGRES_PORT));
        started.push(postgres);
        for (String database : List.of(Databases.CONTENT, Databases.COMMENTS)) {
            if (postgres.createDatabaseIfMissing(database)) {
                say("Created database " + database);
            }
        }
        say("PostgreSQL ready on localhost:" + postgres.port());

        say("Starting Kafka in KRaft mode (data in " + data.resolve("kafka") + ")");
        KafkaKraftBroker kafka = KafkaKraftBroker.start(data.resolve("kafka"), settings.port(LocalSettings.KAFKA_PORT),
            settings.port(LocalSettings.KAFKA_CONTROLLER_PORT));
        started.push(kafka);
        for (String topic : Topics.createMissing(kafka.bootstrapServers(),
            Topics.majlisTopics(settings.topicPartitions()))) {
            say("Created topic " + topic);
        }
        say("Kafka ready on " + kafka.bootstrapServers());

        MailCatcher mail = MailCatcher.start(settings.port(LocalSettings.SMTP_PORT), data.resolve("mail"), this::say);
        started.push(mail);
        say("Mail catcher ready on localhost:" + mail.port() + " (mails are shown here and kept in "
            + data.resolve("mail") + ")");

        unpacking.forEach(LocalStack::join);
        if (!quickStarts.keySet().containsAll(packaged.keySet())) {
            throw new StartFailure("Could not prepare the services to start (see the error above); run ./run-local "
                + "again, or ./mvnw clean first.");
        }
        quickStarts.values().forEach(quick -> quick.note().ifPresent(this::say));
        if (quickStarts.values().stream().anyMatch(QuickStart::records)) {
            say(RECORDING_LINE);
        }
        Map<String, String> content = new LinkedHashMap<>(database(postgres, Databases.CONTENT, kafka));
        content.put("MAJLIS_IMPORT_DIR", settings.docs().toString());
        services.add(service("content-service", LocalSettings.CONTENT_PORT, content, logs));
        Map<String, String> comments = new LinkedHashMap<>(database(postgres, Databases.COMMENTS, kafka));
        comments.put("MAJLIS_SMTP_HOST", "127.0.0.1");
        comments.put("MAJLIS_SMTP_PORT", String.valueOf(mail.port()));
        comments.put("MAJLIS_PUBLIC_URL", "http://localhost:" + settings.port(LocalSettings.GATEWAY_PORT));
        // On a laptop, webhooks to a receiver on this machine are what one tries first.
        if (System.getenv("MAJLIS_WEBHOOK_ALLOW_PRIVATE") == null) {
            comments.put("MAJLIS_WEBHOOK_ALLOW_PRIVATE", "true");
        }
        services.add(service("comment-service", LocalSettings.COMMENT_PORT, comments, logs));
        services.add(service("gateway", LocalSettings.GATEWAY_PORT, Map.of(
            "MAJLIS_CONTENT_SERVICE_URI", "http://localhost:" + settings.port(LocalSettings.CONTENT_PORT),
            "MAJLIS_COMMENT_SERVICE_URI", "http://localhost:" + settings.port(LocalSettings.COMMENT_PORT),
            LocalSettings.GATEWAY_MANAGEMENT_PORT, String.valueOf(settings.port(LocalSettings.GATEWAY_MANAGEMENT_PORT))),
            logs));
        for (ServiceProcess service : services) {
            say("Starting " + service.name() + " on port " + service.port() + " (log: " + service.log() + ")");
            QuickStart quick = quickStarts.get(service.name());
            service.start(quick.javaOptions(), jars.agent(), quick.mainClass());
            started.push(() -> service.stop(SERVICE_STOP_GRACE));
        }
        awaitServicesReady();
        checkArchivesAreMapped();

        int gateway = settings.port(LocalSettings.GATEWAY_PORT);
        System.out.printf(Locale.ROOT, """
            %s in %.1f s.
              Gateway          http://localhost:%d        try: curl http://localhost:%d/api/articles
                health, metrics  http://localhost:%d/actuator/health, /actuator/prometheus
              content-service  http://localhost:%d
              comment-service  http://localhost:%d
              PostgreSQL       localhost:%d  user postgres, databases %s and %s
              Kafka            localhost:%d  topics %s, %s and %s
              Mail catcher     localhost:%d  (SMTP; each mail is shown here and kept in %s)
              Articles from    %s
              Data and logs    %s
            Press Ctrl-C to stop every part.
            """, READY_LINE, seconds(), gateway, gateway, settings.port(LocalSettings.GATEWAY_MANAGEMENT_PORT),
            settings.port(LocalSettings.CONTENT_PORT),
            settings.port(LocalSettings.COMMENT_PORT), postgres.port(), Databases.CONTENT, Databases.COMMENTS,
            kafka.port(), Topics.ARTICLES, Topics.COMMENTS, Topics.NOTIFICATIONS_DLQ, mail.port(), data.resolve("mail"), settings.docs(), data);
        System.out.flush();
    }

    /**
     * Unpacks the service jars that a build changed, side by side and while PostgreSQL and Kafka start (a JVM of
     * about a second each), and chooses each one's class archive: {@link QuickStart}.
     */
    private List<Thread> prepareQuickStarts(Map<String, Path> packaged, Path agent) {
        Path folder = settings.home().resolve("local-stack/target/quick-start");
        List<Thread> each = new ArrayList<>();
        packaged.forEach((name, jar) -> each.add(new Thread(() -> quickStarts.put(name,
            QuickStart.prepare(name, jar, agent, folder.resolve(name), settings.javaOptions(name))),
            "unpack-" + name)));
        each.forEach(Thread::start);
        return each;
    }

    /**
     * The JVM maps an archive only if it was written by the same JVM with the same options and jars, and runs
     * without it otherwise; one it would not map is removed, so that the next run records a new one.
     */
    private void checkArchivesAreMapped() {
        for (ServiceProcess service : services) {
            QuickStart quick = quickStarts.get(service.name());
            if (quick.isMappedBy(service.pid()).orElse(true)) {
                continue;
            }
            quick.forget();
            say(service.name() + " did not use its class archive (its log may say why); the next start records "
                + "a new one.");
        }
    }

    private ServiceProcess service(String name, String portVariable, Map<String, String> environment, Path logs) {
        Path jar = quickStarts.get(name).jar();
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.put("MAJLIS_HTTP_PORT", String.valueOf(settings.port(portVariable)));
        // Tokens from ./run-local token are signed with the local secret, unless the operator brought an identity
        // provider or a secret of their own (the services then read those from the environment they inherit).
        if (System.getenv("MAJLIS_JWT_HMAC_SECRET") == null && System.getenv("MAJLIS_JWT_ISSUER_URI") == null
            && System.getenv("MAJLIS_JWT_JWK_SET_URI") == null) {
            all.put("MAJLIS_JWT_HMAC_SECRET", LocalTokens.secret(settings.dataDirectory()));
        }
        String management = environment.get(LocalSettings.GATEWAY_MANAGEMENT_PORT);
        int port = settings.port(portVariable);
        return new ServiceProcess(name, jar, port, management != null ? Integer.parseInt(management) : port, all,
            logs);
    }

    private static Map<String, String> database(EmbeddedPostgresServer postgres, String database,
        KafkaKraftBroker kafka) {
        return Map.of(
            "MAJLIS_DB_HOST", postgres.host(),
            "MAJLIS_DB_PORT", String.valueOf(postgres.port()),
            "MAJLIS_DB_NAME", database,
            "MAJLIS_DB_USER", EmbeddedPostgresServer.USER,
            "MAJLIS_DB_PASSWORD", "",
            "MAJLIS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    }

    private void awaitServicesReady() {
        long deadline = startedAt + settings.startTimeout().toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(services);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (!waiting.isEmpty()) {
            for (ServiceProcess service : List.copyOf(waiting)) {
                if (!service.isAlive()) {
                    throw new StartFailure(service.name() + " stopped while starting. Its last lines ("
                        + service.log() + "):\n  " + String.join("\n  ", service.logTail(25)));
                }
                if (service.isReady(http)) {
                    waiting.remove(service);
                    say(service.name() + " ready on http://localhost:" + service.port());
                }
            }
            if (System.nanoTime() > deadline && !waiting.isEmpty()) {
                ServiceProcess late = waiting.get(0);
                throw new StartFailure(late.name() + " was not ready within " + settings.startTimeout().toSeconds()
                    + " s (MAJLIS_START_TIMEOUT). Its last lines (" + late.log() + "):\n  "
                    + String.join("\n  ", late.logTail(25)));
            }
            sleep(250);
        }
    }

    private void lockDataDirectory(Path data) {
        try {
            FileChannel channel = FileChannel.open(data.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new StartFailure("Another Majlis local stack already runs on the data in " + data
                    + ". Stop it first (Ctrl-C in its terminal), or set MAJLIS_LOCAL_DATA to another folder.");
            }
            started.push(channel);
        }
        catch (IOException ex) {
            throw new StartFailure("Cannot use the data folder " + data + ": " + ex.getMessage());
        }
    }

    /** A launcher killed outright (kill -9) leaves its PostgreSQL running; the lock proves it is ours to stop. */
    private void stopLeftOvers(Path data) {
        try {
            long pid = EmbeddedPostgresServer.stopLeftOverServer(data.resolve("postgres"));
            if (pid > 0) {
                say("Stopped the PostgreSQL server (pid " + pid + ") that an earlier, killed run left behind");
            }
        }
        catch (IOException ex) {
            throw new StartFailure("Cannot read " + data.resolve("postgres") + ": " + ex.getMessage());
        }
    }

    private void checkPortsAreFree() {
        for (LocalSettings.Port port : settings.ports().values()) {
            if (Ports.isTaken(port.number())) {
                throw new StartFailure("Port " + port.number() + " (" + port.purpose() + ") is already in use: stop "
                    + "what listens there, or choose another port with " + port.variable() + "=<port>.");
            }
        }
    }

    /** Stops every part that started, newest first. Runs once, from the shutdown hook. */
    private synchronized void stop() {
        if (started.isEmpty()) {
            return;
        }
        say("Stopping every part…");
        boolean recording = services.stream().anyMatch(service -> quickStarts.get(service.name()).records());
        if (recording) {
            say("Saving the classes each service loaded, for a quicker next start (after each build only; this "
                + "takes up to a minute)…");
        }
        // The services first and together: each finishes its in-flight requests while the others do.
        Set<String> endedOnTheirOwn = ServiceProcess.stopAll(services,
            recording ? RECORDING_STOP_GRACE : SERVICE_STOP_GRACE);
        quickStarts.forEach((name, quick) -> quick.ended(endedOnTheirOwn.contains(name)));
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            }
            catch (Exception ex) {
                System.err.println("[majlis] A part did not stop cleanly: " + ex.getMessage());
            }
        }
        say("Stopped.");
    }

    private double seconds() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    private void say(String message) {
        System.out.printf(Locale.ROOT, "[majlis %5.1fs] %s%n", seconds(), message);
        System.out.flush();
    }

    private static void fail(String message) {
        System.err.println("[majlis] " + message);
        System.exit(2);
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create " + directory, ex);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StartFailure("Interrupted while unpacking the services");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StartFailure("Interrupted while waiting for the services");
        }
    }

    private static void awaitTermination() {
        try {
            new CountDownLatch(1).await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A start that cannot go on; the message says why and what to do, in one line where it can. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message);
        }
    }
}
