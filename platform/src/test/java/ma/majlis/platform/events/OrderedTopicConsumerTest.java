package ma.majlis.platform.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import ma.majlis.testing.RealInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A consumer in batch mode, on a real broker: the records of a poll reach the handler at once, and stay whole. */
class OrderedTopicConsumerTest {

    private static final List<String> SENT = List.of("one", "two", "three", "four", "five");

    private final String topic = "ordered-consumer-" + UUID.randomUUID();

    private final String group = "ordered-consumer-test-" + UUID.randomUUID();

    private Admin admin;

    private OrderedTopicConsumer consumer;

    @BeforeEach
    void topicWithRecordsWaiting() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            RealInfrastructure.kafkaBootstrapServers()));
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafkaBootstrapServers(),
            ProducerConfig.LINGER_MS_CONFIG, 50), new StringSerializer(), new StringSerializer())) {
            SENT.forEach(value -> producer.send(new ProducerRecord<>(topic, "article", value)));
            producer.flush();
        }
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.stop();
        }
        admin.close(Duration.ofSeconds(5));
    }

    @Test
    void handsTheHandlerEveryRecordOfAPollAtOnceInOrderAndCommitsAfterThem() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        start(records -> {
            batches.add(values(records));
            return Mono.empty();
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == SENT.size());
        // They were all waiting when the consumer began: its first poll brought them all.
        assertThat(batches).containsExactly(SENT);
    }

    @Test
    void appliesABatchThatFailedAgainWholeBeforeCommittingIt() {
        AtomicInteger calls = new AtomicInteger();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        start(records -> {
            batches.add(values(records));
            return calls.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("the database is away"))
                : Mono.empty();
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == SENT.size());
        assertThat(batches).containsExactly(SENT, SENT);
    }

    private void start(Function<List<ConsumerRecord<String, String>>, Mono<Void>> handler) {
        DefaultKafkaConsumerFactory<String, String> factory = new DefaultKafkaConsumerFactory<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafkaBootstrapServers()));
        consumer = OrderedTopicConsumer.inGroupBatches(factory, topic, group, handler, Duration.ofMillis(200));
        consumer.start();
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /** The group's committed offset of the topic's one partition (0 before any commit). */
    private long committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, 0));
        return offset == null ? 0 : offset.offset();
    }
}
