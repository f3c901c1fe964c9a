package ma.majlis.comments.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import io.netty.channel.ChannelOption;
import jakarta.mail.internet.MimeMessage;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sends what a delivery owes: mails through SMTP on threads of their own, webhook calls on an HTTP client of their
 * own, each bounded by the send timeout, so neither a dead mail server nor a slow receiver reaches anything else.
 */
class Senders implements AutoCloseable {

    private final JavaMailSender mail;

    private final NotificationSettings settings;

    private final Clock clock;

    private final Scheduler mailThreads;

    private final LoopResources webhookLoops;

    private final ConnectionProvider webhookConnections;

    private final WebClient webhooks;

    private final WebhookAddresses addresses;

    Senders(JavaMailSender mail, NotificationSettings settings, WebhookAddresses addresses, Clock clock) {
        this.mail = mail;
        this.settings = settings;
        this.addresses = addresses;
        this.clock = clock;
        this.mailThreads = Schedulers.newBoundedElastic(settings.concurrency(), 10_000, "mail");
        this.webhookLoops = LoopResources.create("webhook", 2, true);
        this.webhookConnections = ConnectionProvider.builder("webhooks").maxConnections(settings.concurrency() * 2)
            .pendingAcquireTimeout(settings.sendTimeout()).maxIdleTime(Duration.ofSeconds(30)).build();
        HttpClient client = HttpClient.create(webhookConnections)
            .runOn(webhookLoops)
            .resolver(addresses.resolvers())
            .followRedirect(false)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.sendTimeout().toMillis())
            .responseTimeout(settings.sendTimeout());
        this.webhooks = WebClient.builder().clientConnector(new ReactorClientHttpConnector(client)).build();
    }

    /** Completes when the SMTP server accepted the mail. */
    Mono<Void> send(Outgoing.Mail message) {
        return Mono.fromRunnable(() -> {
            MimeMessage mime = mail.createMimeMessage();
            try {
                MimeMessageHelper helper = new MimeMessageHelper(mime, StandardCharsets.UTF_8.name());
                helper.setFrom(settings.mailFrom());
                helper.setTo(message.to());
                helper.setSubject(message.subject());
                helper.setText(message.text(), false);
                mime.setHeader("Auto-Submitted", "auto-generated");
                if (message.unsubscribe() != null) {
                    mime.setHeader("List-Unsubscribe", "<" + message.unsubscribe() + ">");
                    mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                }
            }
            catch (jakarta.mail.MessagingException ex) {
                throw new IllegalStateException("Could not compose the mail: " + ex.getMessage(), ex);
            }
            mail.send(mime);
        }).subscribeOn(mailThreads).then();
    }

    /** Completes when the webhook answered 2xx; fails with the status or the error otherwise. */
    Mono<Void> send(Outgoing.Call call) {
        java.net.URI url = java.net.URI.create(call.url());
        long timestamp = clock.instant().getEpochSecond();
        return addresses.check(url)
            .then(webhooks.post().uri(url)
                .contentType(MediaType.parseMediaType("application/cloudevents+json; charset=utf-8"))
                .header("webhook-id", call.messageId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(call.secret(), call.messageId(), timestamp,
                    call.body()))
                .header("User-Agent", "Majlis-Webhooks/1")
                .bodyValue(call.body())
                .exchangeToMono(response -> response.releaseBody().then(response.statusCode().is2xxSuccessful()
                    ? Mono.<Void>empty()
                    : Mono.error(new IllegalStateException("the webhook answered " + response.statusCode().value())))))
            .timeout(settings.sendTimeout().plusSeconds(1));
    }

    /** Lets the mail threads and the webhook client go, when the application context closes. */
    @Override
    public void close() {
        mailThreads.dispose();
        webhookConnections.disposeLater().block(Duration.ofSeconds(5));
        webhookLoops.disposeLater().block(Duration.ofSeconds(5));
    }
}
