package ma.majlis.content.counts;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.platform.events.OrderedTopicConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code majlis.comments.v1} in the group {@code content-service.comment-counts}. */
@Configuration(proxyBeanMethods = false)
class CommentCountConfiguration {

    static final String TOPIC = "majlis.comments.v1";

    static final String GROUP = "content-service.comment-counts";

    @Bean
    CommentCounts commentCounts(DatabaseClient database, TransactionalOperator transaction, JsonMapper json) {
        return new CommentCounts(database, transaction, json);
    }

    @Bean
    OrderedTopicConsumer commentCountConsumer(ConsumerFactory<?, ?> consumers, CommentCounts counts,
        MeterRegistry meters) {
        return OrderedTopicConsumer.inGroupBatches(consumers, TOPIC, GROUP, counts::applyAll, Duration.ofSeconds(10))
            .measuredBy(meters);
    }
}
