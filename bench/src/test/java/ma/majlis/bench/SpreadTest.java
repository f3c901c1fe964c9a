package ma.majlis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void showsTheMedianWithTheLowestAndHighestRun() {
        Spread spread = Spread.of(List.of(2100.4, 1900.0, 2500.9));

        assertThat(spread.median()).isEqualTo(2100.4);
        assertThat(spread.format(0)).isEqualTo("2,100 (1,900–2,501)");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
    }

    @Test
    void oneRunShowsItsValueAlone() {
        assertThat(Spread.of(List.of(12.345)).format(1)).isEqualTo("12.3");
    }

    @Test
    void percentilesTakeTheNearestRank() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 100 - i;
        }

        assertThat(Spread.percentile(samples, 50)).isEqualTo(50);
        assertThat(Spread.percentile(samples, 99)).isEqualTo(99);
        assertThat(Spread.percentile(samples, 100)).isEqualTo(100);
        assertThat(Spread.percentile(new long[] {7}, 99)).isEqualTo(7);
    }
}
