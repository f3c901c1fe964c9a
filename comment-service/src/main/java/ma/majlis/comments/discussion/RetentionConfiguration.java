package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.pruning.TablePruner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** How long comment-service keeps published outbox rows and the answers kept for Idempotency-Keys. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean
    TablePruner tablePruner(DatabaseClient database, @Value("${majlis.retention.outbox:7d}") Duration outbox,
        @Value("${majlis.retention.idempotency-keys:24h}") Duration idempotencyKeys) {
        return new TablePruner(database, List.of(new TablePruner.Rule("outbox", "published_at", outbox),
            new TablePruner.Rule("idempotent_request", "created_at", idempotencyKeys)));
    }
}
