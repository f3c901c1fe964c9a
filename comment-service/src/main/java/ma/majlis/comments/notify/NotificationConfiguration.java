package ma.majlis.comments.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import ma.majlis.platform.database.PostgresNotifications;
import ma.majlis.platform.events.OrderedTopicConsumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires notifications. Subscriptions and webhooks are always served; the notifier (the consumer group
 * {@code comment-service.notifier} on {@code majlis.comments.v1}) and the senders run where
 * {@code majlis.notifications.enabled} is true, on as many instances as there are: they share the work through
 * the group and through row claims.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ NotificationSettings.class, SmtpSettings.class })
class NotificationConfiguration {

    static final String TOPIC = "majlis.comments.v1";

    static final String GROUP = "comment-service.notifier";

    @Bean
    WebhookAddresses webhookAddresses(NotificationSettings settings) {
        return new WebhookAddresses(settings);
    }

    @Bean
    MailTexts mailTexts(NotificationSettings settings) {
        return new MailTexts(settings);
    }

    @Bean
    Deliveries deliveries(DatabaseClient database, TransactionalOperator transaction, MailTexts texts, Clock clock) {
        return new Deliveries(database, transaction, texts, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "majlis.notifications.enabled", havingValue = "true", matchIfMissing = true)
    Notifier notifier(DatabaseClient database, TransactionalOperator transaction, JsonMapper json, Clock clock) {
        return new Notifier(database, transaction, json, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "majlis.notifications.enabled", havingValue = "true", matchIfMissing = true)
    OrderedTopicConsumer notifierConsumer(ConsumerFactory<?, ?> consumers, Notifier notifier, MeterRegistry meters) {
        return OrderedTopicConsumer.inGroup(consumers, TOPIC, GROUP, notifier::apply, Duration.ofSeconds(10))
            .measuredBy(meters);
    }

    /** The SMTP client, from the operator's settings. */
    @Bean
    @ConditionalOnProperty(name = "majlis.notifications.enabled", havingValue = "true", matchIfMissing = true)
    JavaMailSenderImpl mailSender(SmtpSettings smtp, NotificationSettings settings) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(smtp.host());
        sender.setPort(smtp.port());
        sender.setDefaultEncoding("UTF-8");
        Properties properties = sender.getJavaMailProperties();
        String timeout = Long.toString(settings.sendTimeout().toMillis());
        String protocol = smtp.security() == SmtpSettings.Security.TLS ? "smtps" : "smtp";
        sender.setProtocol(protocol);
        properties.put("mail." + protocol + ".connectiontimeout", timeout);
        properties.put("mail." + protocol + ".timeout", timeout);
        properties.put("mail." + protocol + ".writetimeout", timeout);
        if (smtp.security() == SmtpSettings.Security.STARTTLS) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        if (smtp.security() != SmtpSettings.Security.NONE) {
            properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        if (!smtp.username().isBlank()) {
            sender.setUsername(smtp.username());
            sender.setPassword(smtp.password());
            properties.put("mail." + protocol + ".auth", "true");
        }
        return sender;
    }

    @Bean
    @ConditionalOnProperty(name = "majlis.notifications.enabled", havingValue = "true", matchIfMissing = true)
    Senders senders(JavaMailSenderImpl mail, NotificationSettings settings, WebhookAddresses addresses, Clock clock) {
        return new Senders(mail, settings, addresses, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "majlis.notifications.enabled", havingValue = "true", matchIfMissing = true)
    Dispatcher dispatcher(Deliveries deliveries, Senders senders, KafkaTemplate<String, String> kafka,
        NotificationSettings settings, ConnectionFactory connections, JsonMapper json, MeterRegistry meters) {
        return new Dispatcher(deliveries, senders, kafka, settings, PostgresNotifications.unpooled(connections), json,
            meters);
    }
}
