package ma.majlis.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Reports the Kafka cluster UP when a broker answers a cluster description within the timeout, so a service
 * that cannot publish or consume is taken out of its readiness group instead of receiving traffic.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator implements DisposableBean {

    private final Admin admin;

    private final Duration timeout;

    public KafkaHealthIndicator(Map<String, Object> adminConfiguration, Duration timeout) {
        super("Kafka did not answer a cluster description");
        this.admin = Admin.create(adminConfiguration);
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        DescribeClusterResult cluster = admin.describeCluster(
            new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        Mono<String> clusterId = Mono.fromCompletionStage(cluster.clusterId().toCompletionStage());
        Mono<Collection<Node>> nodes = Mono.fromCompletionStage(cluster.nodes().toCompletionStage());
        return Mono.zip(clusterId, nodes)
            .timeout(timeout.plusSeconds(1))
            .map(result -> builder.up()
                .withDetail("clusterId", result.getT1())
                .withDetail("nodes", result.getT2().size())
                .build());
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
