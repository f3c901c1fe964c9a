package ma.majlis.gateway;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** Each call is one readiness probe of one instance, as the load balancer makes every health-check interval. */
class TolerantReadinessTest {

    static final String PROBE = "/actuator/health/readiness";

    final Upstream upstream = new Upstream("comment-service");

    final ServiceInstance instance = instance("comment-service-1", Integer.parseInt(
        upstream.uri().substring(upstream.uri().lastIndexOf(':') + 1)));

    final TolerantReadiness readiness = new TolerantReadiness(TolerantReadiness.client(), Duration.ofMillis(300));

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void aReadyInstanceThatIsBusyForAMomentKeepsItsRequestsUntilAThirdProbeInARowGoesUnanswered() {
        assertThat(probe()).as("answered 200").isTrue();
        upstream.healthAnswersAfter(Duration.ofSeconds(1));
        assertThat(probe()).as("first probe unanswered in time").isTrue();
        assertThat(probe()).as("second in a row").isTrue();
        assertThat(probe()).as("third in a row").isFalse();
        assertThat(probe()).as("and after").isFalse();

        upstream.healthAnswersAfter(Duration.ZERO);
        assertThat(probe()).as("answered again").isTrue();
        upstream.healthAnswersAfter(Duration.ofSeconds(1));
        assertThat(probe()).as("the misses are counted afresh after an answer").isTrue();
    }

    @Test
    void anInstanceThatAnswersNotReadyIsTakenOutAtOnceAndBackWhenItIsReady() {
        assertThat(probe()).isTrue();
        upstream.ready(false);
        assertThat(probe()).as("answered 503").isFalse();
        upstream.ready(true);
        assertThat(probe()).isTrue();
    }

    @Test
    void anInstanceThatHasNeverAnsweredIsNotReady() {
        upstream.healthAnswersAfter(Duration.ofSeconds(1));
        assertThat(probe()).isFalse();
    }

    @Test
    void aReadyInstanceThatStopsListeningIsTakenOutAtOnce() {
        assertThat(probe()).isTrue();
        upstream.close();
        assertThat(probe()).as("connection refused").isFalse();
    }

    private boolean probe() {
        return readiness.apply(instance, PROBE).block(Duration.ofSeconds(5));
    }

    private static ServiceInstance instance(String id, int port) {
        return new DefaultServiceInstance(id, "comment-service", "localhost", port, false);
    }
}
