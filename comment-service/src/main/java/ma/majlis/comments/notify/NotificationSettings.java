package ma.majlis.comments.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What an operator can change about notifications (README, "Settings").
 *
 * @param enabled whether this instance reads events and sends notifications at all
 * @param publicUrl where readers reach Majlis (the gateway): the links in mails start with it
 * @param mailFrom the From of every mail
 * @param maxAttempts how many times a delivery is tried before it is dead-lettered
 * @param retryBase the wait after the first failure; it doubles with each failure, with jitter
 * @param retryMax the longest wait between two attempts
 * @param pollInterval how often due deliveries are looked for (new ones are sent at once)
 * @param batchSize how many deliveries an instance takes at a time
 * @param concurrency how many deliveries are sent at once; one subscriber gets one at a time
 * @param sendTimeout how long one mail or webhook request may take before it counts as failed
 * @param claim how long an instance holds a delivery it sends (at least twice the send timeout); after a crash
 * another instance takes it then
 * @param digestInterval how long a digest subscriber's comments are gathered before one mail carries them
 * @param confirmationResend how long before a repeated subscription request sends another confirmation mail
 * @param confirmationValidity how long a confirmation link works; an unconfirmed request is then deleted
 * @param retention how long sent deliveries, and ended subscriptions (their addresses erased), are kept
 * @param allowPrivateWebhooks whether webhooks may point at loopback, link-local or private addresses
 * @param allowedWebhookHosts host names allowed even when they resolve to private addresses
 * @param deadLetterTopic where deliveries that gave up are published
 */
@ConfigurationProperties("majlis.notifications")
public record NotificationSettings(@DefaultValue("true") boolean enabled,
    @DefaultValue("http://localhost:8080") URI publicUrl, @DefaultValue("Majlis <majlis@localhost>") String mailFrom,
    @DefaultValue("8") int maxAttempts, @DefaultValue("10s") Duration retryBase,
    @DefaultValue("1h") Duration retryMax, @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("50") int batchSize, @DefaultValue("16") int concurrency,
    @DefaultValue("10s") Duration sendTimeout, @DefaultValue("1m") Duration claim,
    @DefaultValue("1h") Duration digestInterval, @DefaultValue("10m") Duration confirmationResend,
    @DefaultValue("7d") Duration confirmationValidity, @DefaultValue("30d") Duration retention,
    @DefaultValue("false") boolean allowPrivateWebhooks, @DefaultValue List<String> allowedWebhookHosts,
    @DefaultValue("majlis.notifications.dlq.v1") String deadLetterTopic) {

    /** How long a claim holds: the setting, but never less than twice the send timeout. */
    public Duration claimHold() {
        Duration least = sendTimeout.multipliedBy(2);
        return claim.compareTo(least) > 0 ? claim : least;
    }

    /** The address of a path under the public URL, such as {@code /articles/x}. */
    public String link(String pathAndQuery) {
        String base = publicUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
    }
}
