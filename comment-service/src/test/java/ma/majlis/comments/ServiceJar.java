package ma.majlis.comments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import ma.majlis.infra.Ports;
import ma.majlis.testing.PostgresEndpoint;
import ma.majlis.testing.RealInfrastructure;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.awaitility.Awaitility.await;

/**
 * comment-service as an operator runs it: its packaged jar in a process of its own, on the test JVM's PostgreSQL
 * (a database of the test's own) and Kafka, configured through the environment as the README lists it.
 */
public final class ServiceJar implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("majlis.service.jar", "target/comment-service.jar"));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;

    private final int port;

    private ServiceJar(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the jar with the infrastructure's settings and {@code settings}, writing its output to {@code log}. */
    public static ServiceJar start(String databaseName, Map<String, String> settings, Path log) throws IOException {
        PostgresEndpoint postgres = RealInfrastructure.postgres();
        postgres.createDatabaseIfMissing(databaseName);
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = new HashMap<>(Map.of(
            "MAJLIS_HTTP_PORT", String.valueOf(port),
            "MAJLIS_DB_HOST", postgres.host(),
            "MAJLIS_DB_PORT", String.valueOf(postgres.port()),
            "MAJLIS_DB_NAME", databaseName,
            "MAJLIS_DB_USER", postgres.username(),
            "MAJLIS_DB_PASSWORD", postgres.password(),
            "MAJLIS_KAFKA_BOOTSTRAP_SERVERS", RealInfrastructure.kafkaBootstrapServers()));
        environment.putAll(settings);
        builder.environment().putAll(environment);
        return new ServiceJar(builder.start(), port);
    }

    /** Waits until the service reports ready. */
    public ServiceJar awaitReady() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> status("/actuator/health/readiness") == 200);
        return this;
    }

    /** A client of the service's database, as the test reads it. */
    public static DatabaseClient database(String databaseName) {
        PostgresEndpoint postgres = RealInfrastructure.postgres();
        return DatabaseClient.create(ConnectionFactories.get(
            ConnectionFactoryOptions.parse(postgres.r2dbcUrl(databaseName)).mutate()
                .option(ConnectionFactoryOptions.USER, postgres.username())
                .option(ConnectionFactoryOptions.PASSWORD, postgres.password())
                .build()));
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** The status a GET of {@code path} answers, 0 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (IOException ex) {
            return 0;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** SIGTERM, and waits for the process to exit; whether it did within {@code timeout}. */
    public boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: the process dies at once, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
