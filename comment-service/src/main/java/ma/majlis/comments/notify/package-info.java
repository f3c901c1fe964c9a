/**
 * Notifications: e-mail subscriptions (double opt-in, immediate or digest, one-click unsubscribe), webhooks, and the
 * notifier that turns {@code majlis.comments.v1} events into deliveries recorded in PostgreSQL before they are sent,
 * retried with backoff, and dead-lettered to {@code majlis.notifications.dlq.v1} when they keep failing.
 */
@NullMarked
package ma.majlis.comments.notify;

import org.jspecify.annotations.NullMarked;
