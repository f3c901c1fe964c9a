package ma.majlis.gateway;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import ma.majlis.platform.web.UnobservedStreams;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;
import org.springframework.stereotype.Component;

/**
 * The gateway's own observation of a proxied request ({@code spring.cloud.gateway.requests}) is skipped for event
 * streams, as the server's observation is ({@link UnobservedStreams}): a stream open for hours is no request
 * latency, and each would keep its observation for as long as it is open.
 */
@Component
class UnobservedProxiedStreams implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof GatewayContext proxied && UnobservedStreams.isStream(proxied.getRequest()));
    }
}
