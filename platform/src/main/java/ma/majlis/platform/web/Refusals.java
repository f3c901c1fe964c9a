package ma.majlis.platform.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The count of what a limit refused, and its log line written at most once a {@link #LOG_INTERVAL}: a crowd beyond a
 * limit is refused thousands of times a second, and the operator needs to hear of it once, with the count so far,
 * not once per refusal.
 */
public final class Refusals {

    /** The least time between two log lines of one limit. */
    public static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private static final long LOG_INTERVAL_NANOS = LOG_INTERVAL.toNanos();

    private final AtomicLong count = new AtomicLong();

    private final LongSupplier nanoTime;

    private final AtomicLong lastLogged;

    public Refusals() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock, in nanoseconds as {@link System#nanoTime()} */
    Refusals(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastLogged = new AtomicLong(nanoTime.getAsLong() - LOG_INTERVAL_NANOS);
    }

    /**
     * Counts one refusal, and writes the log line with the count so far if none was written in the last
     * {@link #LOG_INTERVAL} (the first refusal is always logged).
     *
     * @param logLine writes the log line, given how many were refused since the start
     */
    public void refuse(LongConsumer logLine) {
        long refused = count.incrementAndGet();
        long last = lastLogged.get();
        long at = nanoTime.getAsLong();
        if (at - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, at)) {
            logLine.accept(refused);
        }
    }

    /** How many were refused since the start. */
    public long count() {
        return count.get();
    }
}
