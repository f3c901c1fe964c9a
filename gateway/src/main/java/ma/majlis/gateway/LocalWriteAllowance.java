package ma.majlis.gateway;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

/**
 * Write buckets in this gateway's memory. Each gateway replica keeps its own, so with several replicas a client
 * may write up to once per replica as often; configure Redis ({@link RedisWriteAllowance}) for one shared limit.
 */
final class LocalWriteAllowance implements WriteAllowance {

    private final Limits limits;

    private final double perNano;

    private final LongSupplier nanoTime;

    private final Cache<String, Bucket> buckets;

    LocalWriteAllowance(Limits limits) {
        this(limits, System::nanoTime);
    }

    LocalWriteAllowance(Limits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.perNano = limits.perMinute() / 60e9;
        this.nanoTime = nanoTime;
        // A bucket untouched for longer than a full refill is full again: forgetting it changes nothing.
        this.buckets = Caffeine.newBuilder()
            .expireAfterAccess(limits.fullRefill().plusSeconds(1))
            .maximumSize(100_000)
            .build();
    }

    @Override
    public Mono<Duration> take(String client) {
        return Mono.fromSupplier(() -> takeNow(client));
    }

    /** {@link #take} without the Mono: for the Redis allowance to fall back on when Redis does not answer. */
    Duration takeNow(String client) {
        long now = nanoTime.getAsLong();
        return Duration.ofNanos(buckets.get(client, key -> new Bucket(limits.burst(), now))
            .take(limits.burst(), perNano, now));
    }

    /** A token bucket: full at {@code burst}, refilled continuously. */
    private static final class Bucket {

        private double tokens;

        private long updated;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.updated = now;
        }

        /** Takes a token and answers 0, or answers how many nanoseconds until one is there. */
        synchronized long take(int burst, double perNano, long now) {
            tokens = Math.min(burst, tokens + Math.max(0, now - updated) * perNano);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
