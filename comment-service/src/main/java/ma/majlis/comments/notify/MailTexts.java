package ma.majlis.comments.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The words of Majlis's mails, in plain text: a comment's Markdown reads well as it is, and plain text carries no
 * tracking and no markup to sanitise.
 */
final class MailTexts {

    private final NotificationSettings settings;

    MailTexts(NotificationSettings settings) {
        this.settings = settings;
    }

    /** Who subscribed to what, as the mails say it. */
    record Subscription(String address, String kind, String mode, String articleSlug, String articleTitle,
        String unsubscribeToken) {

        boolean replies() {
            return kind.equals("replies");
        }
    }

    Outgoing.Mail confirmation(Subscription subscription, String confirmToken) {
        String what = subscription.replies()
            ? "replies to your comment on \u201c" + subscription.articleTitle() + "\u201d"
            : "new comments on \u201c" + subscription.articleTitle() + "\u201d";
        String text = """
            Hello,

            Someone, probably you, asked Majlis to send %s to this address%s.

            To confirm, open this link and press Confirm:
            %s

            If it was not you, ignore this mail: nothing more will be sent.
            """.formatted(what, subscription.mode().equals("digest") ? ", gathered in a digest" : "",
            settings.link(SubscriptionRoutes.CONFIRM + "?token=" + encode(confirmToken)));
        return new Outgoing.Mail(subscription.address(), "Confirm: " + what, text, null);
    }

    Outgoing.Mail comment(Subscription subscription, Outgoing.Comment comment) {
        String subject = subscription.replies()
            ? comment.authorName() + " replied to you on \u201c" + subscription.articleTitle() + "\u201d"
            : comment.authorName() + " commented on \u201c" + subscription.articleTitle() + "\u201d";
        String text = comment.authorName() + " wrote:\n\n" + quoted(comment.markdown()) + "\n\nRead it and reply:\n"
            + commentLink(comment) + "\n" + footer(subscription);
        return new Outgoing.Mail(subscription.address(), subject, text, unsubscribeLink(subscription));
    }

    Outgoing.Mail digest(Subscription subscription, List<Outgoing.Comment> comments) {
        String subject = comments.size() + (comments.size() == 1 ? " new comment" : " new comments") + " on \u201c"
            + subscription.articleTitle() + "\u201d";
        StringBuilder text = new StringBuilder();
        for (Outgoing.Comment comment : comments) {
            text.append(comment.authorName()).append(" wrote:\n\n").append(quoted(comment.markdown()))
                .append("\n\n").append(commentLink(comment)).append("\n\n");
        }
        text.append(footer(subscription));
        return new Outgoing.Mail(subscription.address(), subject, text.toString(), unsubscribeLink(subscription));
    }

    private String footer(Subscription subscription) {
        return "\n--\nYou get this because you follow " + (subscription.replies()
            ? "the replies to your comment" : "the discussion") + " on \u201c" + subscription.articleTitle()
            + "\u201d" + (subscription.mode().equals("digest") ? " (as a digest)" : "") + ".\nUnsubscribe: "
            + unsubscribeLink(subscription) + "\n";
    }

    String unsubscribeLink(Subscription subscription) {
        return settings.link(SubscriptionRoutes.UNSUBSCRIBE + "?token=" + encode(subscription.unsubscribeToken()));
    }

    private String commentLink(Outgoing.Comment comment) {
        return settings.link("/articles/" + comment.articleSlug() + "#comment-" + comment.id());
    }

    private static String quoted(String markdown) {
        return "> " + markdown.strip().replace("\n", "\n> ");
    }

    private static String encode(String token) {
        return URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
