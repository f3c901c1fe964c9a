package ma.majlis.comments.live;

import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.platform.events.OrderedTopicConsumer;
import ma.majlis.platform.web.StreamCapacity;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** The live streams: this instance's readers, the broadcast feed that reaches them, and their history. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamSettings.class)
class LiveConfiguration {

    static final String TOPIC = "majlis.comments.v1";

    @Bean
    StreamHub streamHub(StreamSettings settings, StreamHistory history, JsonMapper json) {
        return new StreamHub(settings, history, json);
    }

    /** Publishes majlis.streams.open, .limit and .refused. */
    @Bean
    StreamCapacity streamCapacity(StreamSettings settings, StreamHub hub, MeterRegistry meters) {
        return new StreamCapacity(settings.maxOpen(), "MAJLIS_STREAM_MAX_OPEN", hub::openStreams)
            .measuredBy(meters, "majlis.streams");
    }

    @Bean
    LiveFeed liveFeed(StreamHub hub, JsonMapper json) {
        return new LiveFeed(hub, json);
    }

    @Bean
    OrderedTopicConsumer liveFeedConsumer(ConsumerFactory<?, ?> consumers, LiveFeed feed, MeterRegistry meters) {
        return OrderedTopicConsumer.broadcast(consumers, TOPIC, feed::apply).measuredBy(meters);
    }

    @Bean
    StreamHistory streamHistory(DatabaseClient database, JsonMapper json) {
        return new StreamHistory(database, json);
    }
}
