package ma.majlis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import ma.majlis.infra.EmbeddedPostgresServer;
import ma.majlis.infra.KafkaKraftBroker;
import ma.majlis.infra.Ports;
import ma.majlis.infra.Topics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server, one real Kafka broker and, for the tests that need it, one real Redis server per
 * test JVM, each started on first use and stopped when the JVM exits.
 *
 * <p>The kind is chosen once: containers when a Docker engine answers, embedded binaries and an in-process
 * KRaft broker when none does. {@code MAJLIS_TEST_INFRA} (or the system property {@code majlis.test.infra})
 * set to {@code containers} or {@code embedded} forces one.
 */
public final class RealInfrastructure {

    /** Partitions per contract topic in tests: more than one, so per-key ordering is really exercised. */
    public static final int TOPIC_PARTITIONS = 3;

    static final String POSTGRES_IMAGE = "postgres:17-alpine";

    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    static final String REDIS_IMAGE = "redis:7-alpine";

    private static final Logger log = LoggerFactory.getLogger(RealInfrastructure.class);

    private static @Nullable Kind kind;

    private static @Nullable PostgresEndpoint postgres;

    private static @Nullable String kafka;

    private static @Nullable String redis;

    private RealInfrastructure() {
    }

    /** The kind of infrastructure this JVM's tests run on. */
    public static synchronized Kind kind() {
        if (kind == null) {
            kind = chooseKind();
            log.info("Tests run on {} PostgreSQL and Kafka", kind.name().toLowerCase(Locale.ROOT));
        }
        return kind;
    }

    /** The shared PostgreSQL server, started on first call. */
    public static synchronized PostgresEndpoint postgres() {
        if (postgres == null) {
            postgres = kind() == Kind.CONTAINERS ? startPostgresContainer() : startEmbeddedPostgres();
        }
        return postgres;
    }

    /** The shared broker's bootstrap servers, started on first call, with the contract's topics created. */
    public static synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            String bootstrap = kind() == Kind.CONTAINERS ? startKafkaContainer() : startEmbeddedKafka();
            Topics.createMissing(bootstrap, Topics.majlisTopics(TOPIC_PARTITIONS));
            kafka = bootstrap;
        }
        return kafka;
    }

    /**
     * The shared Redis server's URL ({@code redis://host:port}), started on first call: a container, or the
     * real {@code redis-server} binary that the embedded-redis artifact carries.
     */
    public static synchronized String redisUrl() {
        if (redis == null) {
            redis = kind() == Kind.CONTAINERS ? startRedisContainer() : startEmbeddedRedis();
        }
        return redis;
    }

    private static Kind chooseKind() {
        String forced = System.getProperty("majlis.test.infra", System.getenv("MAJLIS_TEST_INFRA"));
        if (forced != null && !forced.isBlank() && !forced.equalsIgnoreCase("auto")) {
            return Kind.valueOf(forced.trim().toUpperCase(Locale.ROOT));
        }
        return DockerClientFactory.instance().isDockerAvailable() ? Kind.CONTAINERS : Kind.EMBEDDED;
    }

    private static PostgresEndpoint startEmbeddedPostgres() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "majlis-test-postgres-stop"));
        return new PostgresEndpoint(server.host(), server.port(), EmbeddedPostgresServer.USER, "");
    }

    @SuppressWarnings("resource") // Testcontainers' reaper removes the container when the JVM exits.
    private static PostgresEndpoint startPostgresContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName("postgres");
        container.start();
        return new PostgresEndpoint(container.getHost(), container.getMappedPort(5432), container.getUsername(),
            container.getPassword());
    }

    private static String startEmbeddedKafka() {
        KafkaKraftBroker broker = KafkaKraftBroker.start(null, 0, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "majlis-test-kafka-stop"));
        return broker.bootstrapServers();
    }

    @SuppressWarnings("resource") // Testcontainers' reaper removes the container when the JVM exits.
    private static String startKafkaContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        return container.getBootstrapServers();
    }

    private static String startEmbeddedRedis() {
        int port = Ports.free();
        try {
            RedisServer server = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "majlis-test-redis-stop"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Redis server on port " + port, e);
        }
        return "redis://127.0.0.1:" + port;
    }

    private static void stopQuietly(RedisServer server) {
        try {
            server.stop();
        } catch (IOException e) {
            log.warn("The embedded Redis server did not stop cleanly: {}", e.getMessage());
        }
    }

    @SuppressWarnings("resource") // Testcontainers' reaper removes the container when the JVM exits.
    private static String startRedisContainer() {
        GenericContainer<?> container = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(6379);
        container.start();
        return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }

    /** Where the tests' PostgreSQL and Kafka run. */
    public enum Kind {
        CONTAINERS, EMBEDDED
    }
}
