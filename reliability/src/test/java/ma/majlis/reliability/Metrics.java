package ma.majlis.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

import ma.majlis.local.ServiceProcess;

/** A service's Prometheus scrape, as series name with labels → value. */
final class Metrics {

    private Metrics() {
    }

    static Map<String, Double> scrape(Stack stack, ServiceProcess service) {
        int port = service == stack.gateway ? stack.managementPort : service.port();
        Api.Answer scrape = new Api("http://localhost:" + port).get("/actuator/prometheus");
        if (scrape.status() != 200) {
            throw new AssertionError(service.name() + " served no metrics: " + scrape);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : scrape.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                metrics.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
            catch (NumberFormatException ex) {
                // A value this suite does not read.
            }
        }
        return metrics;
    }

    /** The sum of the series whose name starts with {@code prefix} and whose text contains {@code containing}. */
    static double sum(Map<String, Double> metrics, String prefix, String containing) {
        return metrics.entrySet().stream()
            .filter(metric -> metric.getKey().startsWith(prefix) && metric.getKey().contains(containing))
            .mapToDouble(Map.Entry::getValue).sum();
    }
}
