package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;

import ma.majlis.comments.discussion.CommentEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands each record of {@code majlis.comments.v1} to this instance's readers through the {@link StreamHub}. It is
 * fed in broadcast mode (every partition, no consumer group, from the end), and every instance does the same, so a
 * comment posted through one reaches readers connected to any. Nothing is committed: what a reader missed while
 * its stream was down comes from the database when it reconnects.
 */
public class LiveFeed {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final StreamHub hub;

    private final JsonMapper json;

    public LiveFeed(StreamHub hub, JsonMapper json) {
        this.hub = hub;
        this.json = json;
    }

    /** Publishes the record's change to its article's readers; a record that is no comment event is skipped. */
    public Mono<Void> apply(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        if (type == null || record.value() == null) {
            return Mono.empty();
        }
        try {
            CommentEvent data = json.readValue(record.value(), CommentEvent.class);
            hub.publish(new StreamEvent(data.articleId(), data.seq(), new String(type.value(), StandardCharsets.UTF_8),
                data));
        }
        catch (JacksonException | IllegalArgumentException ex) {
            log.warn("Skipped a {} record at partition {} offset {} that is not a comment event: {}", record.topic(),
                record.partition(), record.offset(), ex.getMessage());
        }
        return Mono.empty();
    }
}
