package ma.majlis.platform.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import ma.majlis.platform.database.PostgresNotifications;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox of a service that names its topic ({@code majlis.outbox.topic}): a writer for its
 * changes, and the built-in relay unless {@code majlis.outbox.enabled} is false (Debezium publishes instead). The
 * service's own Flyway migrations create the {@code outbox} table and its {@code outbox_notify} trigger.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
    "org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
    "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
    "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass({ DatabaseClient.class, KafkaTemplate.class })
@ConditionalOnProperty("majlis.outbox.topic")
@EnableConfigurationProperties(OutboxSettings.class)
public class OutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DatabaseClient.class)
    OutboxWriter outboxWriter(DatabaseClient database, JsonMapper json) {
        return new OutboxWriter(database, json);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ DatabaseClient.class, ReactiveTransactionManager.class })
    @ConditionalOnProperty(name = "majlis.outbox.enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(DatabaseClient database, ReactiveTransactionManager transactions,
        KafkaTemplate<String, String> kafka, OutboxSettings settings, ConnectionFactory connections,
        ObjectProvider<MeterRegistry> meters) {
        return new OutboxRelay(database, TransactionalOperator.create(transactions), kafka, settings,
            PostgresNotifications.unpooled(connections),
            meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
