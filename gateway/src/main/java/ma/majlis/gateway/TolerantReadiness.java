package ma.majlis.gateway;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Whether an instance is ready for requests, from its readiness probe, asked every health-check interval.
 *
 * <p>An answer counts at once: 2xx is ready, anything else (503 while it starts, or without its database) is not.
 * So does a refused connection: nothing listens there. But a probe that goes unanswered in time, or whose answer
 * breaks off, usually means the instance or the machine is busy for a moment, and taking it out of rotation would
 * only move its load to the others, or, with one instance, refuse every request to the service. So an instance that
 * was ready stays in rotation through {@value #MISSES_ALLOWED} such misses in a row, and is taken out at the next;
 * an instance that has never answered is not ready.
 */
final class TolerantReadiness implements BiFunction<ServiceInstance, String, Mono<Boolean>> {

    /** Unanswered probes in a row that a ready instance is allowed before it is taken out of rotation. */
    static final int MISSES_ALLOWED = 2;

    private static final Logger log = LoggerFactory.getLogger(TolerantReadiness.class);

    private final WebClient client;

    private final Duration answerWithin;

    private final Map<String, Integer> misses = new ConcurrentHashMap<>();

    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

    /** @param answerWithin how long a probe may take to answer; less than the interval between probes */
    TolerantReadiness(WebClient client, Duration answerWithin) {
        this.client = client;
        this.answerWithin = answerWithin;
    }

    /**
     * A client that opens a connection for each probe, so that an instance that is gone is seen at once (connection
     * refused) rather than as a pooled connection that breaks off.
     */
    static WebClient client() {
        return WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
            .build();
    }

    @Override
    public Mono<Boolean> apply(ServiceInstance instance, String path) {
        String id = instance.getInstanceId();
        return client.get().uri(instance.getUri().resolve(path))
            .exchangeToMono(answer -> answer.releaseBody().thenReturn(answer.statusCode().is2xxSuccessful()))
            .timeout(answerWithin)
            .doOnNext(answered -> misses.remove(id))
            .onErrorResume(failure -> Mono.just(missed(instance, failure)))
            .doOnNext(now -> {
                Boolean was = ready.put(id, now);
                if (was != null && was != now) {
                    log.info(now ? "{} is ready again: the gateway sends it requests."
                        : "{} is not ready: the gateway sends it no requests until its readiness probe ({}) passes.",
                        describe(instance), instance.getUri().resolve(path));
                }
            });
    }

    private boolean missed(ServiceInstance instance, Throwable failure) {
        String id = instance.getInstanceId();
        if (isRefused(failure)) {
            misses.remove(id);
            return false;
        }
        int inARow = misses.merge(id, 1, Integer::sum);
        boolean wasReady = ready.getOrDefault(id, false);
        if (wasReady && inARow <= MISSES_ALLOWED) {
            log.warn("{} did not answer its readiness probe within {} ms ({}); it is probably busy, so it keeps its"
                + " requests unless {} more probes in a row go unanswered.", describe(instance),
                answerWithin.toMillis(), failure.toString(), MISSES_ALLOWED - inARow + 1);
            return true;
        }
        return false;
    }

    /** Whether a call failed because nothing listens at the address (the connection was refused). */
    static boolean isRefused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(ServiceInstance instance) {
        return instance.getInstanceId() + " (" + instance.getUri() + ")";
    }
}
