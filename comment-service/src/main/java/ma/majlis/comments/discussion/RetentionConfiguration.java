package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.pruning.TablePruner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * How long comment-service keeps published outbox rows, the answers kept for Idempotency-Keys, finished notification
 * deliveries, unconfirmed subscription requests and ended subscriptions.
 */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean
    TablePruner tablePruner(DatabaseClient database, @Value("${majlis.retention.outbox:7d}") Duration outbox,
        @Value("${majlis.retention.idempotency-keys:24h}") Duration idempotencyKeys,
        @Value("${majlis.notifications.retention:30d}") Duration deliveries) {
        return new TablePruner(database, List.of(new TablePruner.Rule("outbox", "published_at", outbox),
            new TablePruner.Rule("idempotent_request", "created_at", idempotencyKeys),
            // Sent and dropped deliveries; a digest takes the comments it carried with it.
            new TablePruner.Rule("delivery", "finished_at", deliveries),
            // lapses_at is when the row is due: unconfirmed requests, and ended subscriptions after the retention.
            new TablePruner.Rule("subscription", "lapses_at", Duration.ZERO)));
    }
}
