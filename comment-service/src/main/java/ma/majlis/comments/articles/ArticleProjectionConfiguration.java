package ma.majlis.comments.articles;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.platform.events.OrderedTopicConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code majlis.articles.v1} in the group {@code comment-service.articles}. */
@Configuration(proxyBeanMethods = false)
class ArticleProjectionConfiguration {

    static final String TOPIC = "majlis.articles.v1";

    static final String GROUP = "comment-service.articles";

    @Bean
    ArticleProjection articleProjection(DatabaseClient database, TransactionalOperator transaction, JsonMapper json) {
        return new ArticleProjection(database, transaction, json);
    }

    @Bean
    OrderedTopicConsumer articleProjectionConsumer(ConsumerFactory<?, ?> consumers, ArticleProjection projection,
        MeterRegistry meters) {
        return OrderedTopicConsumer.inGroup(consumers, TOPIC, GROUP, projection::apply, Duration.ofSeconds(10))
            .measuredBy(meters);
    }
}
