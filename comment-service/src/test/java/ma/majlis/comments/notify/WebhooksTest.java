package ma.majlis.comments.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import ma.majlis.comments.Articles;
import ma.majlis.comments.Tokens;
import ma.majlis.comments.web.MetricsTest;
import ma.majlis.infra.Topics;
import ma.majlis.testing.AsyncApiContract;
import ma.majlis.testing.RealInfrastructure;
import ma.majlis.testing.TopicRecords;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks against a real HTTP receiver: signed CloudEvents, retries until the receiver answers, the dead-letter
 * topic when it never does, and the editor's retry.
 */
class WebhooksTest extends NotifyingService {

    @Autowired
    JsonMapper json;

    @Test
    void eachDeliveryIsACloudEventTheReceiverCanVerifyWithItsSecret() {
        String secret = "a-shared-secret-of-the-site";
        Articles.Announced article = Articles.publish(database, "day-90-hook", true);
        Articles.Announced other = Articles.publish(database, "day-90-other", true);
        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            api.register(receiver.url(), secret, article.slug());
            String id = api.post(article, "Amal", "Signed and delivered");
            api.post(other, "Amal", "Another article: not for this webhook");

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls().size() >= 1);
            WebhookReceiver.Call call = receiver.calls().get(0);
            assertThat(call.header("Content-Type")).startsWith("application/cloudevents+json");
            String messageId = call.header("webhook-id");
            String timestamp = call.header("webhook-timestamp");
            // The receiver's own check: HMAC-SHA256 over id.timestamp.body with the secret, and a fresh timestamp.
            assertThat(call.header("webhook-signature")).isEqualTo("v1," + hmac(secret, messageId + "." + timestamp
                + "." + call.body()));
            assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(60);
            assertThat(call.header("webhook-signature")).isNotEqualTo("v1," + hmac("another-secret-entirely",
                messageId + "." + timestamp + "." + call.body()));

            JsonNode event = json.readTree(call.body());
            assertThat(event.path("specversion").asString()).isEqualTo("1.0");
            assertThat(event.path("id").asString()).isEqualTo(messageId);
            assertThat(event.path("type").asString()).isEqualTo("ma.majlis.comment.created.v1");
            assertThat(event.path("subject").asString()).isEqualTo(article.slug());
            assertThat(event.path("data").path("id").asString()).isEqualTo(id);
            assertThat(event.path("data").path("bodyHtml").asString()).isEqualTo("<p>Signed and delivered</p>");

            sleep(Duration.ofSeconds(2));
            assertThat(receiver.calls()).as("only the article it hears of").hasSize(1);
        }
    }

    @Test
    void aReceiverThatFailsTwiceThenAnswersGetsTheDeliveryExactlyOnce() {
        Articles.Announced article = Articles.publish(database, "day-91-flaky", true);
        try (WebhookReceiver receiver = new WebhookReceiver(n -> n <= 2 ? 503 : 204)) {
            String hook = api.register(receiver.url(), null, article.slug());
            api.post(article, "Badr", "Third time lucky");

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
            sleep(Duration.ofSeconds(2));
            assertThat(receiver.calls()).extracting(WebhookReceiver.Call::answered).containsExactly(503, 503, 204);
            assertThat(receiver.calls()).extracting(call -> call.header("webhook-id")).as("one message, retried")
                .containsOnly(receiver.calls().get(0).header("webhook-id"));
            webhook(hook).jsonPath("$.status").isEqualTo("active").jsonPath("$.pending").isEqualTo(0)
                .jsonPath("$.dead").isEqualTo(0);
        }
    }

    @Test
    void aReceiverThatAlwaysFailsEndsInTheDeadLetterTopicAndAnEditorCanRetryIt() {
        Articles.Announced article = Articles.publish(database, "day-92-dead", true);
        try (WebhookReceiver receiver = new WebhookReceiver(n -> 500)) {
            String hook = api.register(receiver.url(), null, article.slug());
            String comment = api.post(article, "Ghita", "Nobody hears this");

            // max-attempts is 4 in the tests.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> webhook(hook)
                .jsonPath("$.status").isEqualTo("failing")
                .jsonPath("$.dead").isEqualTo(1)
                .jsonPath("$.lastError").isEqualTo("the webhook answered 500"));
            assertThat(receiver.calls()).hasSize(4);
            String scrape = scrape();
            for (String outcome : List.of("failed", "retried", "dead-lettered")) {
                assertThat(MetricsTest.value(scrape, "majlis_notifications_deliveries_total",
                    "channel=\"webhook\",outcome=\"" + outcome + "\"")).as(outcome).isGreaterThanOrEqualTo(1);
            }
            assertThat(scrape).contains("majlis_notifications_pending{", "majlis_notifications_oldest_pending_age_seconds{");

            List<ConsumerRecord<String, CloudEvent>> dead = TopicRecords.atLeast(
                RealInfrastructure.kafkaBootstrapServers(), Topics.NOTIFICATIONS_DLQ,
                event -> ("webhook:" + hook).equals(event.getSubject()), 1);
            CloudEvent letter = dead.get(0).value();
            assertThat(AsyncApiContract.ofProject().violations(Topics.NOTIFICATIONS_DLQ, dead.get(0),
                letter.getData().toBytes())).as("the record against docs/asyncapi.yaml").isEmpty();
            assertThat(letter.getType()).isEqualTo("ma.majlis.notification.dead-lettered.v1");
            JsonNode data = json.readTree(new String(letter.getData().toBytes(), StandardCharsets.UTF_8));
            assertThat(data.path("commentId").asString()).isEqualTo(comment);
            assertThat(data.path("attempts").asInt()).isEqualTo(4);
            assertThat(data.path("url").asString()).isEqualTo(receiver.url());
            assertThat(data.path("lastError").asString()).isEqualTo("the webhook answered 500");
            assertThat(json.readTree(data.path("payload").asString()).path("data").path("id").asString())
                .isEqualTo(comment);

            // The site is back; an editor sends the dead delivery again.
            receiver.answer(n -> 204);
            client.post().uri("/api/webhooks/{id}/retry", hook).header("Authorization", api.editor()).exchange()
                .expectStatus().isAccepted().expectBody().jsonPath("$.requeued").isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> webhook(hook)
                .jsonPath("$.status").isEqualTo("active").jsonPath("$.dead").isEqualTo(0));
            String after = scrape();
            assertThat(MetricsTest.value(after, "majlis_notifications_deliveries_total",
                "channel=\"webhook\",outcome=\"sent\"")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aSlowReceiverDoesNotHoldUpTheOthers() {
        Articles.Announced article = Articles.publish(database, "day-93-slow", true);
        try (WebhookReceiver slow = WebhookReceiver.accepting(); WebhookReceiver quick = WebhookReceiver.accepting()) {
            slow.delay(2500);
            api.register(slow.url(), null, article.slug());
            api.register(quick.url(), null, article.slug());
            for (int i = 1; i <= 3; i++) {
                api.post(article, "Imane", "Comment " + i);
            }
            // The slow receiver takes 2.5 s a call, one at a time: the quick one has all three long before.
            await().atMost(Duration.ofSeconds(20)).until(() -> quick.accepted().size() == 3);
            assertThat(slow.accepted().size()).isLessThan(3);
            await().atMost(Duration.ofSeconds(20)).until(() -> slow.accepted().size() == 3);
        }
    }

    @Test
    void onlyEditorsAndModeratorsManageWebhooks() {
        Map<String, String> body = Map.of("url", "https://hooks.example.ma/majlis");
        client.post().uri("/api/webhooks").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
            .expectStatus().isUnauthorized().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(String.class);
        client.get().uri("/api/webhooks").header("Authorization", Tokens.bearer(environment, "reader-1"))
            .exchange().expectStatus().isForbidden().expectBody(String.class);
        client.get().uri("/api/webhooks").header("Authorization", Tokens.bearer(environment, "mod-1", "moderator"))
            .exchange().expectStatus().isOk().expectBody(String.class);
    }

    @Test
    void refusesABadRegistrationWithAProblemAndStoresNothing() {
        long before = webhooks();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
            Map.of("url", "ftp://hooks.example.ma/"),
            Map.of("url", "https://user:pass@hooks.example.ma/"),
            Map.of("url", "not a url"),
            Map.of("url", "https://hooks.example.ma/", "secret", "short"),
            Map.of("url", "https://hooks.example.ma/", "articles", List.of("../etc/passwd")),
            Map.of("url", "https://hooks.example.ma/", "articles", List.of()),
            Map.of("secret", "long-enough-secret-here"))) {
            client.post().uri("/api/webhooks").header("Authorization", api.editor())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(bad).exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("/problems/invalid-webhook");
        }
        assertThat(webhooks()).isEqualTo(before);
    }

    @Test
    void aDrawnSecretIsShownOnceAndAWebhookCanBeRemoved() {
        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            Map<?, ?> created = client.post().uri("/api/webhooks").header("Authorization", api.editor())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("url", receiver.url())).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            assertThat((String) created.get("secret")).startsWith("whsec_");
            String id = (String) created.get("id");
            webhook(id).jsonPath("$.secret").doesNotExist().jsonPath("$.url").isEqualTo(receiver.url());
            client.delete().uri("/api/webhooks/{id}", id).header("Authorization", api.editor()).exchange()
                .expectStatus().isNoContent();
            client.get().uri("/api/webhooks/{id}", id).header("Authorization", api.editor()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.type").isEqualTo("/problems/webhook-not-found");
        }
    }

    private WebTestClient.BodyContentSpec webhook(String id) {
        return client.get().uri("/api/webhooks/{id}", id).header("Authorization", api.editor()).exchange()
            .expectStatus().isOk().expectBody();
    }

    /** The service's metrics, as Prometheus reads them (larger than the test client's default buffer). */
    private String scrape() {
        return client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build()
            .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
    }

    private long webhooks() {
        return database.sql("select count(*) as n from webhook").map((row, meta) -> row.get("n", Long.class))
            .one().block();
    }

    static String hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static Set<String> ids(List<WebhookReceiver.Call> calls) {
        return calls.stream().map(call -> call.header("webhook-id")).collect(Collectors.toSet());
    }
}
