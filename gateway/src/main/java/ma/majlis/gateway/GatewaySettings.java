package ma.majlis.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway protects readers from a slow or failing service (README, "Settings").
 *
 * @param responseTimeout how long a request other than a stream waits for a service's answer (504 after)
 * @param failureRate the share of failed calls, in percent, over the last {@code window} calls that opens a
 * service's circuit: the gateway then answers 503 at once instead of calling it
 * @param window how many recent calls the failure rate is taken over
 * @param minimumCalls how many calls are needed before the rate counts
 * @param openFor how long an open circuit stays open before a few trial calls are let through
 * @param maxOpenStreams how many event streams this gateway holds open at once (beyond it, 503 with
 * {@code Retry-After}); 0 for as many as half of its heap holds ({@code StreamCapacity})
 * @param maxRequests how many requests other than streams this gateway passes to services at once (beyond it, 503
 * with {@code Retry-After}); 0 for as many as a quarter of its heap holds ({@code RequestLimit})
 */
@ConfigurationProperties("majlis.gateway")
public record GatewaySettings(@DefaultValue("10s") Duration responseTimeout, @DefaultValue("50") float failureRate,
    @DefaultValue("20") int window, @DefaultValue("10") int minimumCalls, @DefaultValue("10s") Duration openFor,
    @DefaultValue("0") int maxOpenStreams, @DefaultValue("0") int maxRequests) {
}
