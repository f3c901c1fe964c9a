package ma.majlis.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;

import ma.majlis.infra.Databases;
import ma.majlis.infra.Directories;
import ma.majlis.infra.EmbeddedPostgresServer;
import ma.majlis.infra.Ports;
import ma.majlis.local.Jars;
import ma.majlis.local.LocalTokens;
import ma.majlis.local.ServiceProcess;
import ma.majlis.testing.RestartableBroker;
import org.jspecify.annotations.Nullable;

/**
 * The whole of Majlis as an operator runs it with two comment-service replicas: a real PostgreSQL and a real
 * Kafka broker (KRaft) that the suite can stop and start again on the same data and ports, content-service, two
 * comment-service instances and the gateway, each from its packaged jar in a process of its own. One stack serves
 * the whole suite; every fault test leaves it whole again.
 */
final class Stack implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("majlis.home", "..")).toAbsolutePath().normalize();

    /** The slugs of the sample articles content-service imports at start. */
    static final List<String> ARTICLES = List.of("day-1-why-morocco-needs-ml", "day-2-darija-and-tamazight-nlp",
        "day-3-computer-vision-for-agriculture");

    /** The JVM options each service runs with: the local stack's. */
    static final List<String> JAVA_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    private static final Duration READY_LIMIT = Duration.ofMinutes(3);

    private static @Nullable Stack shared;

    final Path work = Directories.temporary("majlis-reliability-");

    final Path logs = Path.of("target", "stack-logs").toAbsolutePath();

    final int postgresPort = Ports.free();

    final Path postgresData = work.resolve("postgres");

    final RestartableBroker kafka = new RestartableBroker();

    final String jwtSecret;

    final int gatewayPort = Ports.free();

    final int managementPort = Ports.free();

    final ServiceProcess content;

    final ServiceProcess comments;

    final ServiceProcess otherComments;

    final ServiceProcess gateway;

    private final Jars jars = Jars.in(HOME);

    private @Nullable EmbeddedPostgresServer postgres;

    private Stack() {
        createDirectories(logs);
        startPostgres();
        postgres().createDatabaseIfMissing(Databases.CONTENT);
        postgres().createDatabaseIfMissing(Databases.COMMENTS);
        jwtSecret = LocalTokens.secret(work);
        String editTokens = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));

        Map<String, String> contentSettings = connectionSettings(Databases.CONTENT);
        contentSettings.put("MAJLIS_IMPORT_DIR", HOME.resolve("samples/docs").toString());
        content = service("content-service", jars.contentService(), Ports.free(), contentSettings);

        Map<String, String> commentSettings = connectionSettings(Databases.COMMENTS);
        commentSettings.put("MAJLIS_EDIT_TOKEN_SECRET", editTokens);
        // Nobody subscribes in this suite; a mail server that is not there only delays mails.
        commentSettings.put("MAJLIS_SMTP_PORT", String.valueOf(Ports.free()));
        comments = service("comment-service-1", jars.commentService(), Ports.free(), commentSettings);
        otherComments = service("comment-service-2", jars.commentService(), Ports.free(), commentSettings);

        gateway = new ServiceProcess("gateway", jars.gateway(), gatewayPort, managementPort, withSecret(Map.of(
            "MAJLIS_HTTP_PORT", String.valueOf(gatewayPort),
            "MAJLIS_GATEWAY_MANAGEMENT_PORT", String.valueOf(managementPort),
            "MAJLIS_CONTENT_SERVICE_URI", "http://localhost:" + content.port(),
            "MAJLIS_COMMENT_SERVICE_URI", "http://localhost:" + comments.port() + ",http://localhost:"
                + otherComments.port(),
            "MAJLIS_GATEWAY_HEALTH_CHECK_INTERVAL", "2s",
            // The suite is one client sending far more than a reader would; the write limit has tests of its own.
            "MAJLIS_RATE_LIMIT_BURST", "1000000",
            "MAJLIS_RATE_LIMIT_PER_MINUTE", "1000000")), logs);
        List<ServiceProcess> all = List.of(content, comments, otherComments, gateway);
        for (ServiceProcess service : all) {
            service.start(JAVA_OPTIONS, jars.agent());
        }
        for (ServiceProcess service : all) {
            awaitReady(service);
        }
    }

    /** The suite's one stack, started on first use and stopped when the test JVM ends. */
    static synchronized Stack shared() {
        if (shared == null) {
            Stack stack = new Stack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "reliability-stack-stop"));
            shared = stack;
        }
        return shared;
    }

    /** Starts PostgreSQL (again) on the same port and data. */
    synchronized void startPostgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(postgresData, postgresPort);
        }
    }

    /** Stops PostgreSQL as an operator's {@code pg_ctl stop} would: every connection to it is closed. */
    synchronized void stopPostgres() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is stopped");
        }
        return postgres;
    }

    /** A JDBC connection to one of the services' databases, for checking what they stored. */
    Connection database(String name) throws SQLException {
        return DriverManager.getConnection(postgres().jdbcUrl(name), EmbeddedPostgresServer.USER, "");
    }

    String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    /** A token with {@code roles}, signed with the stack's key, as {@code ./run-local token} prints one. */
    String token(String... roles) {
        return LocalTokens.mint(jwtSecret, List.of(roles));
    }

    /** Starts a service that was stopped or killed, and waits until it is ready. */
    void restart(ServiceProcess service) {
        service.start(JAVA_OPTIONS, jars.agent());
        awaitReady(service);
    }

    void awaitReady(ServiceProcess service) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        while (!service.isReady(http)) {
            if (!service.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(service.name() + (service.isAlive() ? " was not ready within "
                    + READY_LIMIT.toSeconds() + " s" : " stopped while starting") + ". Its last lines ("
                    + service.log() + "):\n  " + String.join("\n  ", service.logTail(40)));
            }
            pause(Duration.ofMillis(250));
        }
    }

    private ServiceProcess service(String name, Path jar, int port, Map<String, String> settings) {
        Map<String, String> environment = new LinkedHashMap<>(withSecret(settings));
        environment.put("MAJLIS_HTTP_PORT", String.valueOf(port));
        return new ServiceProcess(name, jar, port, port, environment, logs);
    }

    private Map<String, String> withSecret(Map<String, String> settings) {
        Map<String, String> environment = new LinkedHashMap<>(settings);
        environment.put("MAJLIS_JWT_HMAC_SECRET", jwtSecret);
        return environment;
    }

    private Map<String, String> connectionSettings(String name) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("MAJLIS_DB_HOST", "localhost");
        settings.put("MAJLIS_DB_PORT", String.valueOf(postgresPort));
        settings.put("MAJLIS_DB_NAME", name);
        settings.put("MAJLIS_DB_USER", EmbeddedPostgresServer.USER);
        settings.put("MAJLIS_DB_PASSWORD", "");
        settings.put("MAJLIS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        return settings;
    }

    @Override
    public synchronized void close() {
        ServiceProcess.stopAll(List.of(gateway, comments, otherComments, content), Duration.ofSeconds(20));
        kafka.close();
        stopPostgres();
        Directories.deleteQuietly(work);
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
