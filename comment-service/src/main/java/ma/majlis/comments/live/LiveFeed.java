package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ma.majlis.comments.discussion.CommentEvent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code majlis.comments.v1} in broadcast mode (every partition, no consumer group, from the end) and hands
 * each change to this instance's readers through the {@link StreamHub}. Every instance does the same, so a comment
 * posted through one reaches readers connected to any. Nothing is committed: what a reader missed while its
 * stream was down comes from the database when it reconnects.
 */
public class LiveFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private static final Duration POLL = Duration.ofMillis(500);

    private final ConsumerFactory<?, ?> consumers;

    private final String topic;

    private final StreamHub hub;

    private final JsonMapper json;

    private volatile boolean running;

    private volatile @Nullable Consumer<String, String> consumer;

    private volatile CountDownLatch stopped = new CountDownLatch(0);

    public LiveFeed(ConsumerFactory<?, ?> consumers, String topic, StreamHub hub, JsonMapper json) {
        this.consumers = consumers;
        this.topic = topic;
        this.hub = hub;
        this.json = json;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void start() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Consumer<String, String> created = (Consumer<String, String>) consumers.createConsumer(null, "live-feed-",
            UUID.randomUUID().toString(), overrides);
        consumer = created;
        stopped = new CountDownLatch(1);
        running = true;
        Thread thread = new Thread(() -> run(created), "live-feed-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Consumer<String, String> consumer) {
        try {
            assignAll(consumer);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    StreamEvent event = read(record);
                    if (event != null) {
                        hub.publish(event);
                    }
                }
            }
        }
        catch (WakeupException ex) {
            // stop() woke the poll.
        }
        catch (RuntimeException ex) {
            log.error("The live feed of {} stopped: {}. Streams get no new comments until the service restarts.",
                topic, ex.toString());
        }
        finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            }
            finally {
                stopped.countDown();
            }
        }
    }

    /** Takes every partition of the topic from its end, waiting for the topic if it does not exist yet. */
    private void assignAll(Consumer<String, String> consumer) {
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            }
            catch (org.apache.kafka.common.errors.TimeoutException ex) {
                partitions = List.of();
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> assigned = partitions.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(assigned);
                consumer.seekToEnd(assigned);
                // Resolve the end positions now, so that what is published from here on is read.
                assigned.forEach(consumer::position);
                log.info("Live feed reads {} ({} partitions) from its end.", topic, assigned.size());
                return;
            }
            log.warn("The topic {} cannot be read yet (no broker, or no such topic); the live feed looks again in 5 s.",
                topic);
            try {
                Thread.sleep(5000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private @Nullable StreamEvent read(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        if (type == null || record.value() == null) {
            return null;
        }
        try {
            CommentEvent data = json.readValue(record.value(), CommentEvent.class);
            return new StreamEvent(data.articleId(), data.seq(), new String(type.value(), StandardCharsets.UTF_8),
                data);
        }
        catch (JacksonException | IllegalArgumentException ex) {
            log.warn("Skipped a {} record at partition {} offset {} that is not a comment event: {}", topic,
                record.partition(), record.offset(), ex.getMessage());
            return null;
        }
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                log.warn("The live feed of {} did not stop within 10 s.", topic);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        consumer = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
