package ma.majlis.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A client's bucket in the gateway's memory, on a clock the test moves. */
class LocalWriteAllowanceTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    /** Three writes at once, then one every 20 s. */
    final LocalWriteAllowance allowance = new LocalWriteAllowance(new WriteAllowance.Limits(3, 3), now::get);

    @Test
    void admitsTheBurstThenSaysHowLongUntilTheNextWrite() {
        for (int i = 0; i < 3; i++) {
            assertThat(allowance.takeNow("address:203.0.113.7")).isZero();
        }
        assertThat(allowance.takeNow("address:203.0.113.7")).isEqualTo(Duration.ofSeconds(20));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(allowance.takeNow("address:203.0.113.7")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void refillsOneWritePerPeriodAndNeverBeyondTheBurst() {
        for (int i = 0; i < 3; i++) {
            allowance.takeNow("subject:salma");
        }
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(allowance.takeNow("subject:salma")).as("one write came back").isZero();
        assertThat(allowance.takeNow("subject:salma")).isPositive();

        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(allowance.takeNow("subject:salma")).isZero();
        }
        assertThat(allowance.takeNow("subject:salma")).as("an hour's rest still fills only the burst").isPositive();
    }

    @Test
    void keepsOneBucketPerClient() {
        for (int i = 0; i < 3; i++) {
            allowance.takeNow("address:203.0.113.8");
        }
        assertThat(allowance.takeNow("address:203.0.113.8")).isPositive();
        assertThat(allowance.takeNow("address:203.0.113.9")).isZero();
        assertThat(allowance.takeNow("subject:203.0.113.8")).isZero();
    }
}
