package ma.majlis.platform.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Reads a topic, in a consumer group ({@link #inGroup}) or in broadcast mode ({@link #broadcast}), and applies each
 * record, in order, with a reactive handler (R2DBC work, or handing the record on): the
 * next record of a partition is applied only when the previous one has been, and offsets are committed only after
 * the records before them were applied. A crash or a rebalance therefore repeats records, never skips one, so
 * handlers must be idempotent (de-duplicate by {@code ce_id}).
 *
 * <p>A handler takes either one record at a time, or every record a poll brought at once ({@link #inGroupBatches}),
 * so that it can store their effect in one transaction: one commit for many records, instead of one each.
 *
 * <p>The Kafka consumer lives on a thread of its own, where it polls and commits; handlers run wherever their
 * I/O completes, and nothing blocks an event-loop thread. A handler that fails (the database is away) is retried
 * with backoff until it succeeds or the consumer stops; a handler decides itself to skip a record it can never
 * apply, such as one that is not valid JSON, by logging it and completing.
 */
public class OrderedTopicConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderedTopicConsumer.class);

    private static final Duration POLL = Duration.ofMillis(500);

    private final ConsumerFactory<?, ?> consumers;

    private final String topic;

    private final @Nullable String groupId;

    /** Applies one record; null when the handler takes a poll's records at once ({@link #batchHandler}). */
    private final @Nullable Function<ConsumerRecord<String, String>, Mono<Void>> handler;

    private final @Nullable Function<List<ConsumerRecord<String, String>>, Mono<Void>> batchHandler;

    private final Duration maxBackoff;

    private volatile boolean running;

    private volatile @Nullable Consumer<String, String> consumer;

    private volatile CountDownLatch stopped = new CountDownLatch(0);

    /** Records published but not yet read, over the partitions this instance reads, as of its last poll. */
    private final AtomicLong lag = new AtomicLong();

    /**
     * Reads {@code topic} in a consumer group, from where the group left off (the start, for a new group), and
     * commits what was applied.
     * @param consumers Spring Boot's consumer factory, which carries the broker addresses and client settings
     * @param groupId the consumer group: instances sharing it share the partitions
     * @param handler applies one record; its Mono completes when the record's effect is stored
     * @param maxBackoff the longest wait between retries of a failing handler
     */
    public static OrderedTopicConsumer inGroup(ConsumerFactory<?, ?> consumers, String topic, String groupId,
        Function<ConsumerRecord<String, String>, Mono<Void>> handler, Duration maxBackoff) {
        return new OrderedTopicConsumer(consumers, topic, groupId, maxBackoff, handler, null);
    }

    /**
     * Reads {@code topic} in a consumer group, as {@link #inGroup} does, but hands the handler every record a poll
     * brought at once, in the order they were read (each partition's in its order), and commits their offsets
     * when the handler's Mono completes. A batch that fails is applied again whole, so the handler must store a
     * batch's effect all or nothing: one transaction.
     * @param handler applies the records of one poll (never none); its Mono completes when their effect is stored
     */
    public static OrderedTopicConsumer inGroupBatches(ConsumerFactory<?, ?> consumers, String topic, String groupId,
        Function<List<ConsumerRecord<String, String>>, Mono<Void>> handler, Duration maxBackoff) {
        return new OrderedTopicConsumer(consumers, topic, groupId, maxBackoff, null, handler);
    }

    /**
     * Reads every partition of {@code topic} from its end, in no group and committing nothing: every instance that
     * does so hears every record published from its start on (broadcast).
     */
    public static OrderedTopicConsumer broadcast(ConsumerFactory<?, ?> consumers, String topic,
        Function<ConsumerRecord<String, String>, Mono<Void>> handler) {
        return new OrderedTopicConsumer(consumers, topic, null, Duration.ofSeconds(1), handler, null);
    }

    private OrderedTopicConsumer(ConsumerFactory<?, ?> consumers, String topic, @Nullable String groupId,
        Duration maxBackoff, @Nullable Function<ConsumerRecord<String, String>, Mono<Void>> handler,
        @Nullable Function<List<ConsumerRecord<String, String>>, Mono<Void>> batchHandler) {
        this.consumers = consumers;
        this.topic = topic;
        this.groupId = groupId;
        this.maxBackoff = maxBackoff;
        this.handler = handler;
        this.batchHandler = batchHandler;
    }

    /**
     * Reports how far this consumer is behind as {@code majlis.consumer.lag}, tagged with the topic and the group
     * ({@code broadcast} when it reads in no group).
     */
    public OrderedTopicConsumer measuredBy(MeterRegistry meters) {
        Gauge.builder("majlis.consumer.lag", lag, AtomicLong::get)
            .description("Records published to the topic that this consumer has not read yet (as of its last poll)")
            .tag("topic", topic)
            .tag("group", groupId != null ? groupId : "broadcast")
            .register(meters);
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void start() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String group = groupId;
        Consumer<String, String> created = (Consumer<String, String>) consumers.createConsumer(group,
            group != null ? group : "broadcast-", group != null ? null : UUID.randomUUID().toString(), overrides);
        Scheduler own = Schedulers.newSingle("consumer-" + topic);
        consumer = created;
        stopped = new CountDownLatch(1);
        running = true;
        Mono<Void> join = group != null ? Mono.fromRunnable(() -> created.subscribe(List.of(topic)))
            : Mono.fromRunnable(() -> assignAllFromEnd(created));
        join.subscribeOn(own)
            .then(pollOnce(created, own).repeat(() -> running).then())
            .doFinally(signal -> own.schedule(() -> close(created, own)))
            .subscribe(null, failure -> {
                if (running) {
                    log.error("Stopped reading {}: {}. Restart the service to read it again.", topic,
                        failure.toString());
                }
            });
        log.info(group != null ? "Reading {} as consumer group {}." : "Reading {} in broadcast mode{}.", topic,
            group != null ? group : "");
    }

    /** Takes every partition of the topic from its end, waiting while the topic or the broker is not there yet. */
    private void assignAllFromEnd(Consumer<String, String> consumer) {
        while (running) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            }
            catch (TimeoutException | WakeupException ex) {
                partitions = List.of();
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> assigned = partitions.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(assigned);
                consumer.seekToEnd(assigned);
                // Resolve the end positions now, so that whatever is published from here on is read.
                assigned.forEach(consumer::position);
                return;
            }
            log.warn("The topic {} cannot be read yet (no broker, or no such topic); looking again in 5 s.", topic);
            try {
                Thread.sleep(5000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Mono<Void> pollOnce(Consumer<String, String> consumer, Scheduler own) {
        return Mono.fromCallable(() -> poll(consumer))
            .subscribeOn(own)
            .flatMap(records -> records.isEmpty() ? Mono.just(records)
                : apply(records).then(Mono.just(records)))
            .publishOn(own)
            .doOnNext(records -> commit(consumer, records))
            .then();
    }

    private ConsumerRecords<String, String> poll(Consumer<String, String> consumer) {
        try {
            ConsumerRecords<String, String> records = consumer.poll(POLL);
            measureLag(consumer);
            return records;
        }
        catch (WakeupException ex) {
            return ConsumerRecords.empty();
        }
    }

    /** From what the last fetch said of each partition's end: no request to the broker. */
    private void measureLag(Consumer<String, String> consumer) {
        long behind = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(partition);
            if (partitionLag.isPresent()) {
                behind += partitionLag.getAsLong();
            }
        }
        lag.set(behind);
    }

    /**
     * The records of one poll (at least one), in the order they were read: all at once to a batch handler, retried
     * whole; else one by one, each retried on its own.
     */
    private Mono<Void> apply(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        Function<List<ConsumerRecord<String, String>>, Mono<Void>> batch = batchHandler;
        if (batch != null) {
            ConsumerRecord<String, String> first = list.get(0);
            return retried(Mono.defer(() -> batch.apply(list)), () -> "the " + list.size()
                + " records polled from partition " + first.partition() + " offset " + first.offset() + " on");
        }
        Function<ConsumerRecord<String, String>, Mono<Void>> each = Objects.requireNonNull(handler);
        return Flux.fromIterable(list)
            .concatMap(record -> retried(Mono.defer(() -> each.apply(record)),
                () -> "the record at partition " + record.partition() + " offset " + record.offset()))
            .then();
    }

    /** {@code work}, tried again with backoff until it succeeds or the consumer stops; {@code what} names it. */
    private Mono<Void> retried(Mono<Void> work, Supplier<String> what) {
        return work.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
            .maxBackoff(maxBackoff)
            .filter(failure -> running)
            .doBeforeRetry(retry -> log.warn("Could not apply {} of {} (attempt {}); retrying: {}", what.get(), topic,
                retry.totalRetries() + 1, retry.failure().toString())));
    }

    private void commit(Consumer<String, String> consumer, ConsumerRecords<String, String> records) {
        if (records.isEmpty() || !running || groupId == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> applied = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(applied.get(applied.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        }
        catch (RuntimeException ex) {
            // The records are applied; after a rebalance they are read again and de-duplicated.
            log.warn("Could not commit {} offsets {}: {}", topic, offsets, ex.toString());
        }
    }

    private void close(Consumer<String, String> consumer, Scheduler own) {
        try {
            consumer.close(Duration.ofSeconds(5));
        }
        catch (RuntimeException ex) {
            log.warn("Closing the {} consumer: {}", topic, ex.toString());
        }
        finally {
            stopped.countDown();
            own.dispose();
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
                log.warn("The {} consumer did not stop within 10 s.", topic);
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
