package ma.majlis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import ma.majlis.infra.KafkaKraftBroker;
import ma.majlis.infra.Ports;
import ma.majlis.infra.Topics;
import org.jspecify.annotations.Nullable;

/**
 * A real broker of a test's own that the test can stop and start again, on the same ports and log, to prove what
 * happens while Kafka is away. (The JVM's shared broker cannot be stopped: other tests use it.) Point the service
 * at it with a {@code @Primary} {@code KafkaConnectionDetails} bean returning {@link #bootstrapServers()}.
 */
public final class RestartableBroker implements AutoCloseable {

    private final Path data;

    private final int port = Ports.free();

    private final int controllerPort = Ports.free();

    private @Nullable KafkaKraftBroker running;

    public RestartableBroker() {
        try {
            data = Files.createTempDirectory("majlis-restartable-kafka-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        start();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Starts the broker (again) with the log it had, and makes sure Majlis's topics exist. */
    public synchronized void start() {
        if (running == null) {
            running = KafkaKraftBroker.start(data, port, controllerPort);
            Topics.createMissing(running.bootstrapServers(), Topics.majlisTopics(1));
        }
    }

    /** Stops the broker; clients see it as gone until {@link #start()}. */
    public synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** Stops the broker and removes its log. */
    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
