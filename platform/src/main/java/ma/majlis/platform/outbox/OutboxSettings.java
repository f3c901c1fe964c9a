package ma.majlis.platform.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox of a service: where its events go and how the relay runs (README, "Settings"). Each service names its
 * topic and CloudEvents source in its own {@code application.yml}.
 *
 * @param topic where the events go
 * @param source the CloudEvents {@code source} of every event
 * @param pollInterval how often the relay looks for new events
 * @param batchSize how many events one transaction sends at most
 * @param enabled false when another relay (Debezium's outbox router) publishes the table instead
 */
@ConfigurationProperties("majlis.outbox")
public record OutboxSettings(String topic, String source, @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("100") int batchSize, @DefaultValue("true") boolean enabled) {
}
