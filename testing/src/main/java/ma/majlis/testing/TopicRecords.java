package ma.majlis.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its start as a new subscriber would, parsing each record as a CloudEvent with the official
 * SDK, and keeps the records a test is about.
 */
public final class TopicRecords {

    private static final Duration POLL = Duration.ofMillis(500);

    private TopicRecords() {
    }

    /** The records {@code about} selects, read until there are {@code count} of them; fails after 30 s. */
    public static List<ConsumerRecord<String, CloudEvent>> atLeast(String bootstrapServers, String topic,
        Predicate<CloudEvent> about, int count) {
        List<ConsumerRecord<String, CloudEvent>> found = new ArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = consumer(bootstrapServers, topic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Only " + found.size() + " of " + count + " events arrived on " + topic);
                }
                keep(consumer, about, found);
            }
        }
        return found;
    }

    /**
     * Every record {@code about} selects: read until the topic has been quiet for a second and a half, so whatever
     * was there has arrived, duplicates included.
     */
    public static List<ConsumerRecord<String, CloudEvent>> all(String bootstrapServers, String topic,
        Predicate<CloudEvent> about) {
        List<ConsumerRecord<String, CloudEvent>> found = new ArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = consumer(bootstrapServers, topic)) {
            int quiet = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (quiet < 3 && System.nanoTime() < deadline) {
                int before = found.size();
                keep(consumer, about, found);
                quiet = found.size() == before && !consumer.assignment().isEmpty() ? quiet + 1 : 0;
            }
        }
        return found;
    }

    private static void keep(KafkaConsumer<String, CloudEvent> consumer, Predicate<CloudEvent> about,
        List<ConsumerRecord<String, CloudEvent>> found) {
        for (ConsumerRecord<String, CloudEvent> record : consumer.poll(POLL)) {
            if (about.test(record.value())) {
                found.add(record);
            }
        }
    }

    private static KafkaConsumer<String, CloudEvent> consumer(String bootstrapServers, String topic) {
        KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(), new CloudEventDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
