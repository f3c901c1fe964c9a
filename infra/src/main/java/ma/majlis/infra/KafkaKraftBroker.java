package ma.majlis.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), run inside this JVM.
 *
 * <p>With a data folder the log and the cluster id survive restarts (the local stack); without one they live in
 * a temporary folder that {@link #close()} removes (tests).
 */
public final class KafkaKraftBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaKraftBroker.class);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;

    private final Path dataDirectory;

    private final boolean temporary;

    private final int port;

    private KafkaKraftBroker(KafkaRaftServer server, Path dataDirectory, boolean temporary, int port) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
        this.port = port;
    }

    /**
     * Starts the broker and waits until it answers clients.
     * @param dataDirectory where the log lives and persists, or {@code null} for a throw-away one
     * @param port the client port, or 0 for any free one
     * @param controllerPort the KRaft controller port, or 0 for any free one
     */
    public static KafkaKraftBroker start(@Nullable Path dataDirectory, int port, int controllerPort) {
        boolean temporary = dataDirectory == null;
        Path directory = temporary ? Directories.temporary("majlis-kafka-") : dataDirectory;
        int clientPort = port == 0 ? Ports.free() : port;
        int quorumPort = controllerPort == 0 ? Ports.free() : controllerPort;
        KafkaRaftServer server = null;
        try {
            Path logDirectory = directory.resolve("log");
            Files.createDirectories(logDirectory);
            Properties properties = properties(logDirectory, clientPort, quorumPort);
            Path configFile = directory.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                properties.store(out, "Written by Majlis at each start; edit the launcher's settings instead.");
            }
            formatIfNew(logDirectory, configFile);
            server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            server.startup();
            KafkaKraftBroker broker = new KafkaKraftBroker(server, directory, temporary, clientPort);
            broker.awaitReady();
            return broker;
        }
        catch (IOException | RuntimeException ex) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            if (temporary) {
                Directories.deleteQuietly(directory);
            }
            if (ex instanceof IOException io) {
                throw new UncheckedIOException("Kafka did not start in " + directory + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) ex;
        }
    }

    private static Properties properties(Path logDirectory, int clientPort, int controllerPort) {
        Properties properties = new Properties();
        properties.putAll(Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@localhost:" + controllerPort),
            Map.entry("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + clientPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logDirectory.toAbsolutePath().toString()),
            // One node: every internal topic has a single replica.
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "4"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "4"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // Topics are created on purpose (Topics), as in production; a typo must not invent one.
            Map.entry("auto.create.topics.enable", "false")));
        return properties;
    }

    private static void formatIfNew(Path logDirectory, Path configFile) {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        int exit = StorageTool.execute(
            new String[] { "format", "--cluster-id", clusterId, "--config", configFile.toString() },
            new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("Formatting the Kafka log folder " + logDirectory + " failed: "
                + output.toString(StandardCharsets.UTF_8).trim());
        }
        log.info("Formatted a new Kafka log folder {} (cluster {})", logDirectory, clusterId);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        RuntimeException last = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            "5000"))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                }
                catch (Exception ex) {
                    last = new IllegalStateException(ex.getMessage(), ex);
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("The Kafka broker on port " + port + " did not become ready within "
            + READY_TIMEOUT.toSeconds() + " s", last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka", ex);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        }
        finally {
            if (temporary) {
                Directories.deleteQuietly(dataDirectory);
            }
        }
    }
}
