package ma.majlis.gateway;

import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One circuit breaker per service, from the operator's settings, without a time limiter of its own
 * ({@code application.yml}): the HTTP client's response timeout (a 504) bounds the calls. Only the API routes have a
 * breaker at all: the event streams, which stay open for as long as a reader reads, have none.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewaySettings.class)
@LoadBalancerClients(defaultConfiguration = ReadyInstances.class)
class ResilienceConfiguration {

    /** content-service and comment-service, each with the instances the operator listed. */
    @Bean
    StaticUpstreams staticUpstreams(@Value("${majlis.gateway-upstreams.content-service}") String content,
        @Value("${majlis.gateway-upstreams.comment-service}") String comments) {
        return new StaticUpstreams(Map.of("content-service", content, "comment-service", comments));
    }

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakers(GatewaySettings settings) {
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
            .circuitBreakerConfig(CircuitBreakerConfig.custom()
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .build())
            .build());
    }
}
