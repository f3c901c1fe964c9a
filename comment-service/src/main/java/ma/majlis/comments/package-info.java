/** comment-service: threaded discussions, live streams to browsers, events to Kafka through an outbox. */
@NullMarked
package ma.majlis.comments;

import org.jspecify.annotations.NullMarked;
