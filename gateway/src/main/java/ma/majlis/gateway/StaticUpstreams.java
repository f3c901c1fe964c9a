package ma.majlis.gateway;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;

/**
 * The instances of each service, as the operator lists them (no registry needed): {@code MAJLIS_COMMENT_SERVICE_URI}
 * may name several, comma-separated, and Spring Cloud LoadBalancer spreads the requests over them.
 */
class StaticUpstreams implements ReactiveDiscoveryClient {

    private final Map<String, List<ServiceInstance>> instances;

    StaticUpstreams(Map<String, String> urisByService) {
        this.instances = urisByService.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, entry -> instances(entry.getKey(), entry.getValue())));
    }

    private static List<ServiceInstance> instances(String service, String uris) {
        List<String> listed = Arrays.stream(uris.split(",")).map(String::strip).filter(uri -> !uri.isEmpty()).toList();
        if (listed.isEmpty()) {
            throw new IllegalStateException("No address is set for " + service + ": set its URI (or several,"
                + " comma-separated) in MAJLIS_" + service.toUpperCase(Locale.ROOT).replace('-', '_') + "_URI.");
        }
        return IntStream.range(0, listed.size())
            .<ServiceInstance>mapToObj(i -> {
                URI uri = URI.create(listed.get(i));
                return new DefaultServiceInstance(service + "-" + (i + 1), service, uri.getHost(), uri.getPort(),
                    "https".equals(uri.getScheme()));
            })
            .toList();
    }

    @Override
    public String description() {
        return "The service instances listed in the gateway's settings";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.fromIterable(instances.getOrDefault(serviceId, List.of()));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.fromIterable(instances.keySet());
    }
}
