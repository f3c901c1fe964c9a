package ma.majlis.content.counts;

import java.time.Duration;
import java.util.List;

import ma.majlis.platform.pruning.TablePruner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** How long content-service keeps published outbox rows and the ids of comment events it has applied. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean
    TablePruner tablePruner(DatabaseClient database, @Value("${majlis.retention.outbox:7d}") Duration outbox,
        @Value("${majlis.retention.consumed-events:14d}") Duration consumedEvents) {
        return new TablePruner(database, List.of(new TablePruner.Rule("outbox", "published_at", outbox),
            new TablePruner.Rule("consumed_event", "consumed_at", consumedEvents)));
    }
}
