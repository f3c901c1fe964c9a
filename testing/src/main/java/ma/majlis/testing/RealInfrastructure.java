package ma.majlis.testing;

import java.util.Locale;

import ma.majlis.infra.EmbeddedPostgresServer;
import ma.majlis.infra.KafkaKraftBroker;
import ma.majlis.infra.Topics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server and one real Kafka broker per test JVM, started on first use and stopped when the
 * JVM exits.
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

    private static final Logger log = LoggerFactory.getLogger(RealInfrastructure.class);

    private static @Nullable Kind kind;

    private static @Nullable PostgresEndpoint postgres;

    private static @Nullable String kafka;

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

    /** Where the tests' PostgreSQL and Kafka run. */
    public enum Kind {
        CONTAINERS, EMBEDDED
    }
}
