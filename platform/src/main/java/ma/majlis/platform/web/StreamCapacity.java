package ma.majlis.platform.web;

import java.time.Duration;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

/**
 * How many event streams one process holds open at most, so that readers beyond it are refused with 503 and
 * {@code Retry-After} instead of running the process out of heap.
 *
 * <p>Each open stream keeps its connection, its request and the chain of operators that feeds it for as long as it
 * is open. The benchmarks measured that at about {@value #MEASURED_BYTES_PER_STREAM} bytes of heap a stream in the
 * gateway and in comment-service alike (bench/FINDINGS.md). Unless an operator sets the number, streams may take
 * half of the largest heap the JVM may grow to; the other half is for everything else the process does.
 *
 * <p>A refusal is counted, and logged at most once a minute.
 */
public final class StreamCapacity {

    /** Heap a stream holds while it is open, as measured (bench/FINDINGS.md), rounded up. */
    public static final long MEASURED_BYTES_PER_STREAM = 48 * 1024;

    /** Below this, a small heap would refuse readers that the process could well hold. */
    static final int FLOOR = 100;

    private static final Logger log = LoggerFactory.getLogger(StreamCapacity.class);

    private final int maxOpen;

    private final String setting;

    private final IntSupplier open;

    private final Refusals refused = new Refusals();

    /**
     * @param configured the operator's number, or 0 for what half of the heap holds
     * @param setting the environment variable that sets it, named in the log line of a refusal
     * @param open how many streams are open now
     */
    public StreamCapacity(int configured, String setting, IntSupplier open) {
        this(configured, MEASURED_BYTES_PER_STREAM, setting, open);
    }

    /**
     * @param configured the operator's number, or 0 for what half of the heap holds
     * @param bytesPerStream the heap a stream holds, for the number when the operator sets none
     * @param setting the environment variable that sets it, named in the log line of a refusal
     * @param open how many streams are open now, in streams of {@code bytesPerStream}
     */
    public StreamCapacity(int configured, long bytesPerStream, String setting, IntSupplier open) {
        this.maxOpen = configured > 0 ? configured : forHeap(Runtime.getRuntime().maxMemory(), bytesPerStream);
        this.setting = setting;
        this.open = open;
    }

    /** {@code configured} if it is positive; otherwise what half of this JVM's largest heap holds. */
    public static int maxOpen(int configured) {
        return configured > 0 ? configured : forHeap(Runtime.getRuntime().maxMemory());
    }

    /** How many streams half of a heap of {@code maxHeapBytes} holds, and never fewer than {@value #FLOOR}. */
    static int forHeap(long maxHeapBytes) {
        return forHeap(maxHeapBytes, MEASURED_BYTES_PER_STREAM);
    }

    /** How many streams of {@code bytesPerStream} half of a heap of {@code maxHeapBytes} holds, at least 100. */
    public static int forHeap(long maxHeapBytes, long bytesPerStream) {
        return (int) Math.max(FLOOR, Math.min(Integer.MAX_VALUE, maxHeapBytes / 2 / bytesPerStream));
    }

    /**
     * Whether one more stream may open. Asked before a stream is answered, so readers arriving together may go past
     * the limit by as many as are between the question and their stream's start.
     */
    public boolean hasRoom() {
        int now = open.getAsInt();
        if (now < maxOpen) {
            return true;
        }
        refused.refuse(count -> log.warn(
            "Refusing new streams with 503: {} are open, the most this process holds ({}, or half of its"
                + " heap when unset); {} refused so far. Add instances, or give each more heap and raise {}.", now,
                setting, count, setting));
        return false;
    }

    /**
     * The answer to a reader beyond the limit: 503 with {@code Retry-After}, and {@code Connection: close}, so that
     * a crowd of refused readers does not stay connected, idle, holding the memory the limit protects.
     *
     * @param holder what holds the streams, as the detail names it ("This instance", "The gateway")
     */
    public ErrorResponseException refusal(String holder, Duration retryAfter) {
        ErrorResponseException problem = Problems.unavailable("too-many-streams", "Too many open streams", holder
            + " holds as many live streams as it may (" + maxOpen + "). Try again in a little while; the discussion"
            + " itself can be read as usual.", retryAfter);
        problem.getHeaders().set(HttpHeaders.CONNECTION, "close");
        return problem;
    }

    /** The most streams this process holds at once. */
    public int maxOpen() {
        return maxOpen;
    }

    /** How many streams were refused since the start, for want of room. */
    public long refused() {
        return refused.count();
    }

    /** Publishes {@code prefix.open}, {@code prefix.limit} and {@code prefix.refused}. */
    public StreamCapacity measuredBy(MeterRegistry meters, String prefix) {
        return measuredBy(meters, prefix, open);
    }

    /**
     * Publishes {@code prefix.open} from {@code shown} (where streams are weighed before they are counted against the
     * limit, how many there are), {@code prefix.limit} and {@code prefix.refused}.
     */
    public StreamCapacity measuredBy(MeterRegistry meters, String prefix, IntSupplier shown) {
        Gauge.builder(prefix + ".open", shown, IntSupplier::getAsInt)
            .description("Event streams open in this process")
            // The supplier may be a lambda that nothing else holds.
            .strongReference(true)
            .register(meters);
        Gauge.builder(prefix + ".limit", this, StreamCapacity::maxOpen)
            .description("The most event streams this process holds open at once")
            .register(meters);
        FunctionCounter.builder(prefix + ".refused", this, StreamCapacity::refused)
            .description("Readers refused with 503 because this process held as many streams as it may")
            .register(meters);
        return this;
    }
}
