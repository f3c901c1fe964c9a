package ma.majlis.comments.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ma.majlis.comments.Articles;
import ma.majlis.comments.ServiceJar;
import ma.majlis.platform.security.TokenMinter;
import ma.majlis.testing.RealInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier stopped in the middle of its work, as an operator's restart or a crash stops it: comment-service's
 * packaged jar sends comments to a slow webhook (one call at a time) and mails, and is stopped while deliveries are
 * still owed; the next instance sends the rest. After a SIGTERM nothing is sent twice and nothing is missing; after
 * a SIGKILL nothing is missing, and only the one call in flight when the process died may come again, with the
 * same id.
 */
class NotifierRestartIT {

    private static final String SECRET = "notifier-restart-test-secret-of-at-least-32-bytes";

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path logs;

    @Test
    void aRestartedNotifierSendsEveryOwedDeliveryOnceAndACrashedOneLosesNothing() throws Exception {
        String databaseName = "comment_notifier_" + UUID.randomUUID().toString().substring(0, 8);
        Path log = logs.resolve("comment-service.log");
        Map<String, String> settings = Map.of(
            "MAJLIS_JWT_HMAC_SECRET", SECRET,
            "MAJLIS_WEBHOOK_ALLOW_PRIVATE", "true",
            "MAJLIS_SMTP_HOST", "127.0.0.1",
            "MAJLIS_SMTP_PORT", String.valueOf(MailServer.server().getSmtp().getPort()),
            "MAJLIS_NOTIFY_POLL_INTERVAL", "200ms",
            "MAJLIS_NOTIFY_RETRY_BASE", "200ms",
            "MAJLIS_NOTIFY_SEND_TIMEOUT", "3s",
            "MAJLIS_NOTIFY_CLAIM", "8s",
            "MAJLIS_PUBLIC_URL", "http://majlis.test");
        DatabaseClient database = ServiceJar.database(databaseName);
        String mailbox = "restart-" + UUID.randomUUID().toString().substring(0, 8) + "@example.ma";

        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            receiver.delay(300);
            List<String> posted = new ArrayList<>();
            ServiceJar first = ServiceJar.start(databaseName, settings, log).awaitReady();
            Articles.Announced article = Articles.publish(RealInfrastructure.kafkaBootstrapServers(), database,
                "day-96-restart", true);
            register(first, receiver.url(), article);
            // A mail subscriber, confirmed through the link it was sent.
            send(first, "POST", "/api/articles/" + article.slug() + "/subscriptions", "{\"email\": \"" + mailbox
                + "\"}", null);
            String token = NotificationTests.token(NotificationTests.text(MailServer.awaitMails(mailbox, 1).get(0)));
            HttpResponse<String> confirmed = http.send(HttpRequest.newBuilder(URI.create(first.url(
                    "/api/subscriptions/confirm"))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(confirmed.statusCode()).isEqualTo(200);

            for (int i = 1; i <= 15; i++) {
                posted.add(post(first, article, "Before the restart " + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() >= 4);
            assertThat(first.stop(Duration.ofSeconds(30))).as("the service stops on SIGTERM").isTrue();
            int beforeRestart = receiver.accepted().size();
            assertThat(beforeRestart).as("stopped with deliveries still owed").isLessThan(15);

            try (ServiceJar second = ServiceJar.start(databaseName, settings, log).awaitReady()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> distinct(receiver).size() >= 15);
                WebhooksTest.sleep(Duration.ofSeconds(2));
                assertThat(receiver.accepted()).as("each comment called once, across the restart").hasSize(15);
                assertThat(comments(receiver)).containsExactlyInAnyOrderElementsOf(posted);
                await().atMost(Duration.ofSeconds(20)).until(() -> MailServer.to(mailbox).size() >= 16);
                WebhooksTest.sleep(Duration.ofSeconds(1));
                assertThat(MailServer.to(mailbox)).as("the confirmation and one mail per comment").hasSize(16);

                // A crash: the process dies with a call in flight.
                for (int i = 1; i <= 10; i++) {
                    posted.add(post(second, article, "Before the crash " + i));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() >= 18);
                second.kill();
            }
            try (ServiceJar third = ServiceJar.start(databaseName, settings, log).awaitReady()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> distinct(receiver).size() >= 25);
                WebhooksTest.sleep(Duration.ofSeconds(2));
                assertThat(comments(receiver)).as("nothing lost in the crash").containsAll(posted)
                    .hasSize(receiver.accepted().size());
                assertThat(receiver.accepted().size() - distinct(receiver).size())
                    .as("at most the one call in flight when the process died came again, under its own id")
                    .isLessThanOrEqualTo(1);
                assertThat(third.status("/actuator/health/readiness")).isEqualTo(200);
            }
        }
        catch (AssertionError failure) {
            throw new AssertionError(failure.getMessage() + "\nThe services said:\n" + Files.readAllLines(log).stream()
                .filter(line -> line.contains("WARN") || line.contains("ERROR") || line.contains("notification"))
                .reduce("", (all, line) -> all + line + "\n"), failure);
        }
    }

    private static Set<String> distinct(WebhookReceiver receiver) {
        return new HashSet<>(WebhooksTest.ids(receiver.accepted()));
    }

    private List<String> comments(WebhookReceiver receiver) {
        return receiver.accepted().stream().map(call -> json.readTree(call.body()).path("data").path("id").asString())
            .toList();
    }

    private void register(ServiceJar service, String url, Articles.Announced article) throws Exception {
        String editor = "Bearer " + new TokenMinter(SECRET).mint("editor-1", List.of("editor"), Duration.ofHours(1));
        HttpResponse<String> created = send(service, "POST", "/api/webhooks", "{\"url\": \"" + url
            + "\", \"articles\": [\"" + article.slug() + "\"]}", editor);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private String post(ServiceJar service, Articles.Announced article, String body) throws Exception {
        HttpResponse<String> created = send(service, "POST", "/api/articles/" + article.slug() + "/comments",
            "{\"authorName\": \"Writer\", \"body\": \"" + body + "\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher id = ID.matcher(created.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private HttpResponse<String> send(ServiceJar service, String method, String path, String body,
        String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path)))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
