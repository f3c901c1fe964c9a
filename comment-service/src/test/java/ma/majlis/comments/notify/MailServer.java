package ma.majlis.comments.notify;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * GreenMail's SMTP server, one for the test JVM on a free port, started by the first test context (registered in
 * META-INF/spring.factories) and named to it as {@code majlis.smtp.port}.
 */
public final class MailServer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static GreenMail server;

    static synchronized GreenMail server() {
        if (server == null) {
            server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        GreenMail mail = server();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-mail-server",
            Map.of("majlis.smtp.host", "127.0.0.1", "majlis.smtp.port", mail.getSmtp().getPort())));
    }

    /** The mails received so far for {@code address}. */
    static List<MimeMessage> to(String address) {
        return Arrays.stream(server().getReceivedMessages()).filter(message -> {
            try {
                Address[] recipients = message.getAllRecipients();
                return recipients != null && Arrays.stream(recipients)
                    .anyMatch(recipient -> recipient.toString().equalsIgnoreCase(address));
            }
            catch (MessagingException ex) {
                return false;
            }
        }).toList();
    }

    /** Waits until {@code address} has received {@code count} mails, and returns them. */
    static List<MimeMessage> awaitMails(String address, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> to(address).size() >= count);
        return to(address);
    }
}
