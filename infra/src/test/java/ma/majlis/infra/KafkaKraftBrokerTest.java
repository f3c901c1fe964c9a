package ma.majlis.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaKraftBrokerTest {

    @Test
    void createsTheContractTopicsOnceWithTheirCleanupPolicies() throws Exception {
        try (KafkaKraftBroker broker = KafkaKraftBroker.start(null, 0, 0)) {
            assertThat(Topics.createMissing(broker.bootstrapServers(), Topics.majlisTopics(3)))
                .containsExactlyInAnyOrder(Topics.ARTICLES, Topics.COMMENTS, Topics.NOTIFICATIONS_DLQ);
            assertThat(Topics.createMissing(broker.bootstrapServers(), Topics.majlisTopics(3))).isEmpty();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
                ConfigResource articles = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ARTICLES);
                Config config = admin.describeConfigs(List.of(articles)).all().get(10, TimeUnit.SECONDS).get(articles);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(admin.describeTopics(List.of(Topics.COMMENTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.COMMENTS).partitions()).hasSize(3);
            }
        }
    }

    @Test
    void keepsRecordsInItsFolderAcrossRestarts(@TempDir Path folder) {
        Path data = folder.resolve("kafka");
        try (KafkaKraftBroker first = KafkaKraftBroker.start(data, 0, 0)) {
            Topics.createMissing(first.bootstrapServers(), Topics.majlisTopics(1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.COMMENTS, "article-1", "first comment"));
                producer.flush();
            }
        }
        try (KafkaKraftBroker second = KafkaKraftBroker.start(data, 0, 0);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                 ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers(),
                 ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
                 ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                 new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.COMMENTS));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            assertThat(values).containsExactly("first comment");
        }
    }

    @Test
    void removesATemporaryLogWhenClosed() {
        Path data;
        try (KafkaKraftBroker broker = KafkaKraftBroker.start(null, 0, 0)) {
            data = broker.dataDirectory();
            assertThat(data.resolve("log").resolve("meta.properties")).exists();
        }
        assertThat(Files.exists(data)).isFalse();
    }
}
