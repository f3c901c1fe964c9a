package ma.majlis.gateway;

import java.util.Arrays;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The write limits per client, and whom the gateway trusts to say who the client is. */
@Configuration(proxyBeanMethods = false)
class AbuseLimitsConfiguration {

    @Bean
    ClientAddresses clientAddresses(@Value("${majlis.gateway.trusted-proxies:}") String trustedProxies) {
        return new ClientAddresses(Arrays.asList(trustedProxies.split(",")));
    }

    @Bean
    WriteRateLimit writeRateLimit(ClientAddresses clients, @Value("${majlis.gateway.writes.burst:10}") int burst,
        @Value("${majlis.gateway.writes.per-minute:30}") int perMinute) {
        return new WriteRateLimit(clients, burst, perMinute);
    }
}
