package ma.majlis.platform.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/** How many streams a process holds open at most. */
class StreamCapacityTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aNumberTheOperatorSetIsTakenAsItIs() {
        assertThat(StreamCapacity.maxOpen(10_000)).isEqualTo(10_000);
        assertThat(StreamCapacity.maxOpen(3)).isEqualTo(3);
    }

    @Test
    void withoutOneStreamsMayTakeHalfOfTheHeapAtTheMeasuredCostEach() {
        // The recommended 192 MiB heap: 96 MiB for streams of 48 KiB.
        assertThat(StreamCapacity.forHeap(192 * MIB)).isEqualTo(2048);
        assertThat(StreamCapacity.forHeap(1024 * MIB)).isEqualTo(10_922);
        assertThat(StreamCapacity.maxOpen(0))
            .isEqualTo(StreamCapacity.forHeap(Runtime.getRuntime().maxMemory()));
    }

    @Test
    void aRefusalAsksToComeBackLaterOnANewConnectionAndIsCounted() {
        AtomicInteger open = new AtomicInteger(2);
        StreamCapacity capacity = new StreamCapacity(2, "MAJLIS_STREAM_MAX_OPEN", open::get);
        assertThat(capacity.hasRoom()).isFalse();
        open.set(1);
        assertThat(capacity.hasRoom()).isTrue();
        assertThat(capacity.refused()).isEqualTo(1);

        ErrorResponseException refusal = capacity.refusal("The gateway", Duration.ofSeconds(7));
        assertThat(refusal.getStatusCode().value()).isEqualTo(503);
        assertThat(refusal.getBody().getType()).hasToString("/problems/too-many-streams");
        assertThat(refusal.getBody().getDetail()).startsWith("The gateway holds as many live streams as it may (2)");
        assertThat(refusal.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        assertThat(refusal.getHeaders().getFirst(HttpHeaders.CONNECTION)).isEqualTo("close");
    }

    @Test
    void aTinyHeapStillTakesAHundredReaders() {
        assertThat(StreamCapacity.forHeap(8 * MIB)).isEqualTo(100);
    }

    @Test
    void theOpenGaugeKeepsReadingASupplierThatNothingElseHolds() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger open = new AtomicInteger(3);
        new StreamCapacity(10, "MAJLIS_STREAM_MAX_OPEN", open::get)
            .measuredBy(meters, "majlis.test.streams", () -> open.get() + 1);
        System.gc();

        assertThat(meters.get("majlis.test.streams.open").gauge().value()).isEqualTo(4);
    }

    @Test
    void theLimitForStreamsOfAGivenSizeIsWhatHalfOfTheHeapHolds() {
        assertThat(StreamCapacity.forHeap(192 * MIB, 8 * 1024)).isEqualTo(12_288);
    }
}
