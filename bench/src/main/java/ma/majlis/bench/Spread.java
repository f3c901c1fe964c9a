package ma.majlis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one figure: the median, and the lowest and highest, as RESULTS.md shows them. */
record Spread(List<Double> values) {

    Spread {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("A spread needs at least one measurement");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        values = List.copyOf(sorted);
    }

    static Spread of(List<Double> values) {
        return new Spread(values);
    }

    double median() {
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    double min() {
        return values.get(0);
    }

    double max() {
        return values.get(values.size() - 1);
    }

    /** "1,234 (1,200–1,250)" with the given number of decimals; one run shows its value alone. */
    String format(int decimals) {
        if (values.size() == 1) {
            return number(median(), decimals);
        }
        return number(median(), decimals) + " (" + number(min(), decimals) + "–" + number(max(), decimals) + ")";
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** The {@code p}-th percentile (0 to 100) of {@code samples} by the nearest-rank method; they need not be sorted. */
    static double percentile(long[] samples, double p) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("No samples to take a percentile of");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
