package ma.majlis.comments.notify;

import java.time.Duration;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;
import ma.majlis.comments.Articles;
import ma.majlis.comments.discussion.EditTokens;
import ma.majlis.platform.pruning.TablePruner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;

import static ma.majlis.comments.notify.NotificationTests.header;
import static ma.majlis.comments.notify.NotificationTests.subject;
import static ma.majlis.comments.notify.NotificationTests.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * E-mail notifications, end to end against a real SMTP server (GreenMail), PostgreSQL and Kafka: comments posted
 * through the API, announced on majlis.comments.v1, turned into deliveries by the notifier and mailed.
 */
class MailNotificationsTest extends NotifyingService {

    /** Long enough for an event to have gone through Kafka, the notifier and the sender if it were owed. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Autowired
    TablePruner pruner;

    @Test
    void sendsNothingButTheConfirmationUntilTheAddressConfirms() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-80-opt-in", true);
        String amina = "amina.optin@example.ma";

        api.subscribe(article, amina, null).expectStatus().isAccepted().expectBody(Map.class)
            .value(body -> assertThat(body).containsEntry("status", "confirmation-sent"));
        MimeMessage confirmation = MailServer.awaitMails(amina, 1).get(0);
        assertThat(subject(confirmation)).startsWith("Confirm: new comments on");
        assertThat(text(confirmation)).contains("http://majlis.test/api/subscriptions/confirm?token=");
        String token = NotificationTests.token(text(confirmation));

        // Unconfirmed: a new comment sends nothing.
        api.post(article, "Youssef", "Before confirmation");
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(amina)).hasSize(1);

        // The link opens a page that only confirms when its button is pressed (a mail scanner's GET does nothing).
        client.get().uri("/api/subscriptions/confirm?token={token}", token).exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader().valueEquals("Content-Security-Policy", SubscriptionPages.POLICY)
            .expectBody(String.class).value(page -> assertThat(page).contains("<form method=\"post\"", "Confirm"));
        assertThat(status(amina)).isEqualTo("pending");
        api.confirm(token).expectStatus().isOk().expectBody(String.class)
            .value(page -> assertThat(page).contains("Subscription confirmed"));
        assertThat(status(amina)).isEqualTo("confirmed");
        // A confirmation link works once.
        api.confirm(token).expectStatus().isNotFound().expectBody(String.class)
            .value(page -> assertThat(page).contains("This link is not valid"));

        api.post(article, "Youssef", "After confirmation: **welcome**");
        MimeMessage mail = MailServer.awaitMails(amina, 2).get(1);
        assertThat(subject(mail)).isEqualTo("Youssef commented on \u201cDay 70: A discussion\u201d");
        assertThat(text(mail)).contains("Youssef wrote:", "> After confirmation: **welcome**",
            "http://majlis.test/articles/" + article.slug() + "#comment-",
            "Unsubscribe: http://majlis.test/api/subscriptions/unsubscribe?token=");
        assertThat(header(mail, "List-Unsubscribe")).startsWith("<http://majlis.test/api/subscriptions/unsubscribe?");
        assertThat(header(mail, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(amina)).as("the comment before confirmation is never sent").hasSize(2);
    }

    @Test
    void aRepeatedRequestNeitherRevealsTheSubscriptionNorFloodsTheAddress() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-81-repeat", true);
        String address = "repeat@example.ma";
        api.subscribe(article, address, null).expectStatus().isAccepted().expectBody(Map.class);
        api.subscribe(article, address, null).expectStatus().isAccepted().expectBody(Map.class);
        api.subscribe(article, "REPEAT@example.ma", null).expectStatus().isAccepted().expectBody(Map.class);
        MailServer.awaitMails(address, 1);
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(address)).as("one confirmation within the resend interval").hasSize(1);
    }

    @Test
    void aDigestSubscriberGetsOneMailWithEveryCommentOfTheInterval() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-82-digest", true);
        String karim = "karim.digest@example.ma";
        api.subscribeConfirmed(article, karim, "digest");

        api.post(article, "Salma", "First of three");
        api.post(article, "Omar", "Second of three");
        api.post(article, "Nadia", "Third of three");

        MimeMessage digest = MailServer.awaitMails(karim, 2).get(1);
        assertThat(subject(digest)).isEqualTo("3 new comments on \u201cDay 70: A discussion\u201d");
        assertThat(text(digest)).contains("Salma wrote:", "> First of three", "Omar wrote:", "Nadia wrote:",
            "(as a digest)");
        assertThat(text(digest).indexOf("First of three")).isLessThan(text(digest).indexOf("Third of three"));
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(karim)).as("the three comments went out in that one digest").hasSize(2);
    }

    @Test
    void aCommenterWhoAskedForRepliesIsMailedTheRepliesToTheirCommentOnly() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-83-replies", true);
        String hind = "hind.replies@example.ma";
        String question = api.post(article, "Hind", "Which dataset did you use?", hind, true, null);
        api.confirmFromMail(hind, 1);
        assertThat(subject(MailServer.to(hind).get(0))).startsWith("Confirm: replies to your comment on");

        api.post(article, "Someone", "A new top-level comment, not a reply");
        api.post(article, "Mehdi", "The Darija corpus from day 12.", null, false, question);

        MimeMessage reply = MailServer.awaitMails(hind, 2).get(1);
        assertThat(subject(reply)).isEqualTo("Mehdi replied to you on \u201cDay 70: A discussion\u201d");
        assertThat(text(reply)).contains("> The Darija corpus from day 12.");
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(hind)).hasSize(2);
    }

    @Test
    void notifyRepliesNeedsAnAddress() {
        Articles.Announced article = Articles.publish(database, "day-84-replies-invalid", true);
        client.post().uri("/api/articles/{slug}/comments", article.slug()).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("authorName", "Hind", "body", "Hi", "notifyReplies", true)).exchange()
            .expectStatus().isEqualTo(422)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("email");
    }

    @Test
    void oneClickUnsubscribeStopsTheMailsWithoutSigningIn() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-85-leave", true);
        String leila = "leila.leave@example.ma";
        api.subscribeConfirmed(article, leila, null);
        api.post(article, "Driss", "One more comment");
        MimeMessage mail = MailServer.awaitMails(leila, 2).get(1);
        String link = header(mail, "List-Unsubscribe");
        String token = NotificationTests.token(link);

        client.get().uri("/api/subscriptions/unsubscribe?token={token}", token).exchange()
            .expectStatus().isOk().expectBody(String.class).value(page -> assertThat(page).contains("Unsubscribe"));
        assertThat(status(leila)).as("opening the link changes nothing").isEqualTo("confirmed");
        // What a mail client sends for List-Unsubscribe-Post (RFC 8058): a POST to the link itself.
        client.post().uri("/api/subscriptions/unsubscribe?token={token}", token)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(BodyInserters.fromFormData("List-Unsubscribe", "One-Click")).exchange()
            .expectStatus().isOk().expectBody(String.class).value(page -> assertThat(page).contains("Unsubscribed"));
        assertThat(status(leila)).isEqualTo("unsubscribed");
        assertThat(database.sql("select count(*) as n from subscription where address = :address")
            .bind("address", leila).map((row, meta) -> row.get("n", Long.class)).one().block())
            .as("the address is erased once the subscriber leaves").isZero();

        api.post(article, "Driss", "Nobody should be told of this one");
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(leila)).hasSize(2);
        // A guessed token is not a subscription: a problem for a mail provider's one-click POST, a page for a person.
        client.post().uri("/api/subscriptions/unsubscribe?token=not-a-token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(BodyInserters.fromFormData("List-Unsubscribe", "One-Click")).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/link-not-valid");
        client.post().uri("/api/subscriptions/unsubscribe?token=" + "x".repeat(43))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .accept(MediaType.TEXT_HTML, MediaType.ALL)
            .body(BodyInserters.fromFormData("List-Unsubscribe", "One-Click")).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectBody(String.class).value(page -> assertThat(page).contains("This link is not valid"));
        // A token with characters no token has (a NUL, which PostgreSQL cannot even compare) is just not valid.
        client.post().uri("/api/subscriptions/confirm")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(BodyInserters.fromFormData("token", "abc\u0000def")).exchange()
            .expectStatus().isNotFound()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/link-not-valid");
    }

    @Test
    void nobodyIsToldOfTheirOwnComment() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-86-own", true);
        String samir = "samir.own@example.ma";
        api.subscribeConfirmed(article, samir, null);

        api.post(article, "Samir", "My own comment", "Samir.Own@example.ma", false, null);
        api.post(article, "Rania", "Someone else's comment");

        MimeMessage mail = MailServer.awaitMails(samir, 2).get(1);
        assertThat(subject(mail)).startsWith("Rania commented");
        Thread.sleep(QUIET.toMillis());
        assertThat(MailServer.to(samir)).extracting(NotificationTests::subject).noneMatch(s -> s.startsWith("Samir"));
    }

    @Test
    void aConfirmationLinkExpiresAndExpiredRequestsAndEndedSubscriptionsArePruned() {
        Articles.Announced article = Articles.publish(database, "day-88-expiry", true);
        String address = "late.confirmer@example.ma";
        api.subscribe(article, address, null).expectStatus().isAccepted().expectBody(Map.class);
        String token = NotificationTests.token(text(MailServer.awaitMails(address, 1).get(0)));
        // A week later (confirmation-validity): the link no longer confirms.
        database.sql("update subscription set lapses_at = now() - interval '1 second' where address_hash = :hash")
            .bind("hash", EditTokens.addressHash(address)).then().block();
        client.get().uri("/api/subscriptions/confirm?token={token}", token).exchange()
            .expectStatus().isNotFound().expectBody(String.class);
        api.confirm(token).expectStatus().isNotFound().expectBody(String.class);
        assertThat(status(address)).isEqualTo("pending");

        pruner.prune().block();
        assertThat(status(address)).as("the lapsed request is deleted, address and all").isNull();
    }

    @Test
    void refusesABadSubscriptionWithAProblemAndStoresNothing() {
        Articles.Announced article = Articles.publish(database, "day-87-bad", true);
        api.subscribe(article, "not an address", "weekly").expectStatus().isEqualTo(422)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/invalid-subscription")
            .jsonPath("$.errors.length()").isEqualTo(2);
        client.post().uri("/api/articles/no-such-article/subscriptions").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("email", "a@example.ma")).exchange()
            .expectStatus().isNotFound().expectBody().jsonPath("$.type").isEqualTo("/problems/article-not-found");
        assertThat(database.sql("select count(*) as n from subscription where article_id = :id")
            .bind("id", article.id()).map((row, meta) -> row.get("n", Long.class)).one().block()).isZero();
    }

    private String status(String address) {
        return database.sql("select status from subscription where address_hash = :hash order by created_at desc")
            .bind("hash", EditTokens.addressHash(address)).map((row, meta) -> row.get("status", String.class))
            .first().block();
    }
}
