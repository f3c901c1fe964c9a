package ma.majlis.gateway;

import java.time.Duration;

import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The instances of a service that the load balancer chooses among: those the operator listed
 * ({@link StaticUpstreams}) whose readiness probe passes, asked every {@code MAJLIS_GATEWAY_HEALTH_CHECK_INTERVAL}
 * and judged by {@link TolerantReadiness}. A configuration of each service's own load-balancer context
 * ({@code @LoadBalancerClients} on {@link ResilienceConfiguration}), so not scanned as a component.
 */
class ReadyInstances {

    @Bean
    ServiceInstanceListSupplier instancesToChooseFrom(ConfigurableApplicationContext context,
        LoadBalancerClientFactory loadBalancers) {
        return ServiceInstanceListSupplier.builder()
            .withDiscoveryClient()
            .with((own, listed) -> {
                Duration interval = loadBalancers.getProperties(listed.getServiceId()).getHealthCheck().getInterval();
                // Answered before the next probe is due, which is when Spring Cloud gives up on a probe itself.
                TolerantReadiness readiness = new TolerantReadiness(TolerantReadiness.client(),
                    interval.multipliedBy(4).dividedBy(5));
                return new HealthCheckServiceInstanceListSupplier(listed, loadBalancers, readiness);
            })
            .build(context);
    }
}
