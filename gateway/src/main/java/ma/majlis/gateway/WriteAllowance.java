package ma.majlis.gateway;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * How many writes each client has left: a bucket of {@code burst} writes per client, refilled at a steady rate.
 * The gateway keeps the buckets in its own memory ({@link LocalWriteAllowance}) or, for several gateway
 * replicas, in Redis ({@link RedisWriteAllowance}) so that a client is limited once, whichever replica it reaches.
 */
interface WriteAllowance {

    /**
     * Takes one write from the client's bucket.
     *
     * @return {@link Duration#ZERO} when the write may go ahead, otherwise how long until the bucket holds one
     */
    Mono<Duration> take(String client);

    /**
     * The size and refill of every client's bucket.
     *
     * @param burst the writes a client may make at once
     * @param perMinute the writes a client may make in a minute after its burst is spent
     */
    record Limits(int burst, int perMinute) {

        public Limits {
            if (burst < 1 || perMinute < 1) {
                throw new IllegalArgumentException("The write limits must be at least 1 (MAJLIS_RATE_LIMIT_BURST="
                    + burst + ", MAJLIS_RATE_LIMIT_PER_MINUTE=" + perMinute + "); set both to a positive number");
            }
        }

        /** How long one write takes to come back into a bucket. */
        Duration refillPeriod() {
            return Duration.ofNanos(60_000_000_000L / perMinute);
        }

        /** How long an emptied bucket takes to fill up again: after that, a client's bucket may be forgotten. */
        Duration fullRefill() {
            return refillPeriod().multipliedBy(burst);
        }
    }
}
