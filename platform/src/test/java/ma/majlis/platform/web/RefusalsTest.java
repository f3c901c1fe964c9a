package ma.majlis.platform.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a limit refused: every refusal counted, and logged at most once a minute with the count so far. */
class RefusalsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(42 * SECOND);

    private final Refusals refusals = new Refusals(clock::get);

    private final List<Long> logged = new CopyOnWriteArrayList<>();

    @Test
    void theFirstRefusalIsLoggedAndTheRestOfTheMinuteOnlyCounted() {
        refusals.refuse(logged::add);
        clock.addAndGet(59 * SECOND);
        refusals.refuse(logged::add);
        refusals.refuse(logged::add);

        assertThat(logged).containsExactly(1L);
        assertThat(refusals.count()).isEqualTo(3);
    }

    @Test
    void aMinuteAfterTheLastLineTheNextRefusalIsLoggedWithTheCountSoFar() {
        refusals.refuse(logged::add);
        refusals.refuse(logged::add);
        clock.addAndGet(60 * SECOND);
        refusals.refuse(logged::add);
        clock.addAndGet(30 * SECOND);
        refusals.refuse(logged::add);

        assertThat(logged).containsExactly(1L, 3L);
        assertThat(refusals.count()).isEqualTo(4);
    }

    @Test
    void nothingRefusedNothingCounted() {
        assertThat(refusals.count()).isZero();
        assertThat(logged).isEmpty();
    }
}
