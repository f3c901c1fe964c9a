package ma.majlis.content.outbox;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The built-in relay, unless an operator hands the outbox table to Debezium. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxSettings.class)
class OutboxConfiguration {

    @Bean
    @ConditionalOnProperty(name = "majlis.outbox.enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(DatabaseClient database, TransactionalOperator transaction,
        KafkaTemplate<String, String> kafka, OutboxSettings settings, ConnectionFactory connections) {
        // Listening holds a connection for good: it comes from the pool's own factory, not from the pool.
        ConnectionFactory direct = connections instanceof Wrapped<?> pool && pool.unwrap() instanceof ConnectionFactory
            inner ? inner : connections;
        return new OutboxRelay(database, transaction, kafka, settings, direct);
    }
}
