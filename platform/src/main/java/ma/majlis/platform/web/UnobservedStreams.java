package ma.majlis.platform.web;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Event streams (requests that accept {@code text/event-stream}) are not observed: no request timer, no trace span.
 *
 * <p>A stream is open for as long as its reader reads, minutes or hours, so its duration would only skew the
 * request-latency figures of everything else, and its span would say nothing but that it was open. The observation
 * would also be kept, with its context, tags and span, for the whole of that time, for each of thousands of readers
 * (bench/FINDINGS.md). How many streams are open is measured instead ({@code majlis_streams_open}).
 */
public final class UnobservedStreams implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext server && isStream(server.getCarrier()));
    }

    /** Whether the request asks for an event stream (a browser's EventSource always does). */
    public static boolean isStream(ServerHttpRequest request) {
        String accept = request.getHeaders().getFirst(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/event-stream");
    }
}
