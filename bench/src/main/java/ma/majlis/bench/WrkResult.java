package ma.majlis.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run (with {@code --latency}) printed: requests per second, the latency percentiles, the answers that
 * were not 2xx or 3xx, and the socket errors.
 */
record WrkResult(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long non2xx,
    long socketErrors) {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ");

    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private static final Pattern SOCKET_ERRORS = Pattern.compile(
        "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    static WrkResult parse(String output) {
        Matcher rate = RATE.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rate.find() || !total.find()) {
            throw new IllegalArgumentException("wrk printed no result:\n" + output);
        }
        Matcher non2xx = NON_2XX.matcher(output);
        Matcher errors = SOCKET_ERRORS.matcher(output);
        long socketErrors = 0;
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        return new WrkResult(Double.parseDouble(rate.group(1)), percentile(output, "50%"),
            percentile(output, "99%"), Long.parseLong(total.group(1)),
            non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors);
    }

    /** One line of wrk's latency distribution, e.g. {@code 99%   12.34ms}, in milliseconds. */
    private static double percentile(String output, String label) {
        Matcher line = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$",
            Pattern.MULTILINE).matcher(output);
        if (!line.find()) {
            throw new IllegalArgumentException("wrk printed no " + label + " latency (was --latency given?):\n"
                + output);
        }
        double value = Double.parseDouble(line.group(1));
        switch (line.group(2).toLowerCase(Locale.ROOT)) {
            case "us":
                return value / 1000;
            case "ms":
                return value;
            case "s":
                return value * 1000;
            default:
                return value * 60_000;
        }
    }

    boolean clean() {
        return non2xx == 0 && socketErrors == 0;
    }
}
