package ma.majlis.content.outbox;

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
        KafkaTemplate<String, String> kafka, OutboxSettings settings) {
        return new OutboxRelay(database, transaction, kafka, settings);
    }
}
