package ma.majlis.platform.web;

import org.junit.jupiter.api.Test;

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
    void aTinyHeapStillTakesAHundredReaders() {
        assertThat(StreamCapacity.forHeap(8 * MIB)).isEqualTo(100);
    }
}
