package ma.majlis.comments.notify;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The mail server notifications go through (README, "Settings").
 *
 * @param security {@code none} (a local catcher), {@code starttls} (port 587, upgraded; required) or {@code tls}
 * (port 465, TLS from the start)
 * @param username left empty, no authentication is attempted
 */
@ConfigurationProperties("majlis.smtp")
public record SmtpSettings(@DefaultValue("localhost") String host, @DefaultValue("1025") int port,
    @DefaultValue("none") Security security, @DefaultValue("") String username, @DefaultValue("") String password) {

    public enum Security {
        NONE, STARTTLS, TLS
    }
}
