/**
 * The transactional outbox: events are written in the same transaction as the change they announce, and a
 * relay publishes them to Kafka. A crash or a Kafka outage delays an event, never loses it.
 */
@NullMarked
package ma.majlis.platform.outbox;

import org.jspecify.annotations.NullMarked;
