package ma.majlis.platform;

import java.time.Duration;
import java.util.Map;

import ma.majlis.infra.Ports;
import ma.majlis.testing.RealInfrastructure;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaHealthIndicatorTest {

    @Test
    void reportsUpWithTheClusterIdWhenTheBrokerAnswers() throws Exception {
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.kafkaBootstrapServers()),
            Duration.ofSeconds(5));
        try {
            Health health = indicator.health().block(Duration.ofSeconds(15));
            assertThat(health).isNotNull();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("clusterId").containsEntry("nodes", 1);
        }
        finally {
            indicator.destroy();
        }
    }

    @Test
    void reportsDownWithinItsTimeoutWhenNoBrokerListens() throws Exception {
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + Ports.free()),
            Duration.ofSeconds(1));
        try {
            Health health = indicator.health().block(Duration.ofSeconds(10));
            assertThat(health).isNotNull();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        }
        finally {
            indicator.destroy();
        }
    }
}
