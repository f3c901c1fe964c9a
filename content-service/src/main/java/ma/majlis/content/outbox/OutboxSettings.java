package ma.majlis.content.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the outbox relay runs (README, "Settings").
 *
 * @param topic where the events go
 * @param source the CloudEvents {@code source} of every event
 * @param pollInterval how often the relay looks for new events
 * @param batchSize how many events one transaction sends at most
 * @param enabled false when another relay (Debezium's outbox router) publishes the table instead
 */
@ConfigurationProperties("majlis.outbox")
public record OutboxSettings(@DefaultValue("majlis.articles.v1") String topic,
    @DefaultValue("/content-service") String source, @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("100") int batchSize, @DefaultValue("true") boolean enabled) {
}
