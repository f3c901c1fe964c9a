package ma.majlis.comments.notify;

import org.jspecify.annotations.Nullable;

/** What one delivery sends, read from the database when it is sent, or why it is no longer owed. */
sealed interface Outgoing {

    /**
     * A mail to one address.
     * @param unsubscribe the one-click unsubscribe link, for the {@code List-Unsubscribe} headers; null for a
     * confirmation, which belongs to no confirmed subscription yet
     */
    record Mail(String to, String subject, String text, @Nullable String unsubscribe) implements Outgoing {
    }

    /** A signed POST of {@code body} (a CloudEvent) to a webhook. */
    record Call(String url, String secret, String messageId, String body) implements Outgoing {
    }

    /** Nothing to send any more: the comment was hidden or deleted, or the subscriber left. */
    record Dropped(String reason) implements Outgoing {
    }

    /** One comment as mails show it. */
    record Comment(String id, String authorName, String markdown, String articleSlug) {
    }

}
