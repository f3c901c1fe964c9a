package ma.majlis.comments.notify;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import ma.majlis.comments.Articles;
import ma.majlis.comments.Tokens;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** What the notification tests do through the HTTP API, and read from the mails they receive. */
final class NotificationTests {

    /** Turns the notifier on: only in {@link NotifyingService}, the one such test context in the JVM. */
    static final String ENABLED = "majlis.notifications.enabled=true";

    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_%-]+)");

    private final WebTestClient client;

    private final Environment environment;

    NotificationTests(WebTestClient client, Environment environment) {
        this.client = client;
        this.environment = environment;
    }

    WebTestClient.ResponseSpec subscribe(Articles.Announced article, String email, String mode) {
        Map<String, Object> body = new HashMap<>(Map.of("email", email));
        if (mode != null) {
            body.put("mode", mode);
        }
        return client.post().uri("/api/articles/{slug}/subscriptions", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** Subscribes, follows the confirmation mail's link and presses Confirm; the mail is the address's n-th. */
    void subscribeConfirmed(Articles.Announced article, String email, String mode) {
        subscribe(article, email, mode).expectStatus().isAccepted().expectBody(Map.class);
        confirmFromMail(email, MailServer.to(email).size() + 1);
    }

    void confirmFromMail(String email, int nth) {
        MimeMessage confirmation = MailServer.awaitMails(email, nth).get(nth - 1);
        confirm(token(text(confirmation))).expectStatus().isOk().expectBody(String.class).value(page -> {
            if (!page.contains("Subscription confirmed")) {
                throw new AssertionError("Not confirmed: " + page);
            }
        });
    }

    /** Presses the Confirm button of the mailed link's page, as a browser posts it. */
    WebTestClient.ResponseSpec confirm(String token) {
        return client.post().uri("/api/subscriptions/confirm").contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .accept(MediaType.TEXT_HTML, MediaType.ALL)
            .body(BodyInserters.fromFormData("token", token)).exchange();
    }

    String post(Articles.Announced article, String name, String body, String email, boolean notifyReplies,
        String parentId) {
        Map<String, Object> comment = new HashMap<>(Map.of("authorName", name, "body", body));
        if (email != null) {
            comment.put("email", email);
        }
        if (notifyReplies) {
            comment.put("notifyReplies", true);
        }
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        Map<?, ?> posted = client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(comment).exchange()
            .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((Map<?, ?>) posted.get("comment")).get("id");
    }

    String post(Articles.Announced article, String name, String body) {
        return post(article, name, body, null, false, null);
    }

    String editor() {
        return Tokens.bearer(environment, "editor-ilyas", "editor");
    }

    /** Registers a webhook as an editor; answers its id. */
    String register(String url, String secret, String... articles) {
        Map<String, Object> body = new HashMap<>(Map.of("url", url));
        if (secret != null) {
            body.put("secret", secret);
        }
        if (articles.length > 0) {
            body.put("articles", java.util.List.of(articles));
        }
        Map<?, ?> created = client.post().uri("/api/webhooks").header("Authorization", editor())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
            .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("id");
    }

    static String text(MimeMessage message) {
        try {
            return String.valueOf(message.getContent());
        }
        catch (IOException | MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        }
        catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? null : values[0];
        }
        catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The token of the first link in a mail's text. */
    static String token(String text) {
        Matcher matcher = TOKEN.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("No link with a token in: " + text);
        }
        return java.net.URLDecoder.decode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }
}
