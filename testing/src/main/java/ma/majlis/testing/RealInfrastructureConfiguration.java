package ma.majlis.testing;

import java.util.List;
import java.util.Locale;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Points a service's R2DBC, Flyway and Kafka at {@link RealInfrastructure}, through the same connection-details
 * beans that {@code @ServiceConnection} contributes. It does not use {@code @ServiceConnection} containers
 * directly because one server per JVM must outlive any single test context, each service needs its own
 * database on it, and the embedded kind has no container at all.
 *
 * <p>Each part is guarded by its client library, so a module that has only some of them can still use this.
 *
 * <p>The database is named after {@code spring.application.name} ({@code content-service} becomes
 * {@code content_service}) unless {@code majlis.testing.database} names one.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RealInfrastructureConfiguration {

    static String databaseName(Environment environment) {
        String configured = environment.getProperty("majlis.testing.database");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String application = environment.getProperty("spring.application.name", "majlis");
        return application.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** The test database on the shared server, created on first use. */
    static String createdDatabase(Environment environment) {
        String database = databaseName(environment);
        RealInfrastructure.postgres().createDatabaseIfMissing(database);
        return database;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.r2dbc.spi.ConnectionFactoryOptions")
    static class R2dbc {

        @Bean
        R2dbcConnectionDetails realR2dbcConnectionDetails(Environment environment) {
            PostgresEndpoint postgres = RealInfrastructure.postgres();
            String database = createdDatabase(environment);
            ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(postgres.r2dbcUrl(database))
                .mutate()
                .option(ConnectionFactoryOptions.USER, postgres.username())
                .option(ConnectionFactoryOptions.PASSWORD, postgres.password())
                .build();
            return () -> options;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    static class Flyway {

        @Bean
        FlywayConnectionDetails realFlywayConnectionDetails(Environment environment) {
            PostgresEndpoint postgres = RealInfrastructure.postgres();
            String database = createdDatabase(environment);
            return new FlywayConnectionDetails() {
                @Override
                public String getUsername() {
                    return postgres.username();
                }

                @Override
                public String getPassword() {
                    return postgres.password();
                }

                @Override
                public String getJdbcUrl() {
                    return postgres.jdbcUrl(database);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.kafka.clients.producer.KafkaProducer")
    static class Kafka {

        @Bean
        KafkaConnectionDetails realKafkaConnectionDetails() {
            List<String> bootstrap = List.of(RealInfrastructure.kafkaBootstrapServers());
            return () -> bootstrap;
        }
    }
}
