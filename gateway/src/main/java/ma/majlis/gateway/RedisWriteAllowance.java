package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Write buckets in Redis, shared by every gateway replica that points at the same Redis: a client is limited once,
 * whichever replica its requests reach. One script call per write takes the token atomically on Redis's clock.
 *
 * <p>When Redis does not answer within {@code timeout}, the write is judged by this replica's own buckets
 * instead ({@link LocalWriteAllowance}): clients stay limited, per replica, until Redis is back, and writes are
 * never refused or held up because Redis is down.
 */
final class RedisWriteAllowance implements WriteAllowance {

    static final String KEY_PREFIX = "majlis:writes:";

    private static final Logger log = LoggerFactory.getLogger(RedisWriteAllowance.class);

    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final ReactiveStringRedisTemplate redis;

    private final RedisScript<Long> script =
        RedisScript.of(new ClassPathResource("ma/majlis/gateway/write-bucket.lua"), Long.class);

    private final Limits limits;

    private final Duration timeout;

    private final LocalWriteAllowance fallback;

    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    RedisWriteAllowance(ReactiveStringRedisTemplate redis, Limits limits, Duration timeout) {
        this.redis = redis;
        this.limits = limits;
        this.timeout = timeout;
        this.fallback = new LocalWriteAllowance(limits);
    }

    @Override
    public Mono<Duration> take(String client) {
        List<String> arguments = List.of(Integer.toString(limits.burst()),
            Long.toString(limits.refillPeriod().toNanos() / 1_000));
        return redis.execute(script, List.of(KEY_PREFIX + client), arguments)
            .next()
            .map(micros -> Duration.ofNanos(micros * 1_000))
            .timeout(timeout)
            .onErrorResume(failure -> {
                warn(failure);
                return Mono.fromSupplier(() -> fallback.takeNow(client));
            })
            .switchIfEmpty(Mono.fromSupplier(() -> fallback.takeNow(client)));
    }

    private void warn(Throwable failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("Redis did not keep the write limits ({}); this gateway limits writes on its own until Redis "
                + "answers again. Check that Redis at MAJLIS_REDIS_URL is running and reachable.", failure.toString());
        }
    }
}
