package ma.majlis.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operator of the local stack can change, read from environment variables (README: "Settings").
 *
 * @param home the checkout, where the service jars are built
 * @param dataDirectory where PostgreSQL, Kafka and the logs keep their files across restarts
 * @param ports every port the stack listens on, keyed by the variable that sets it
 * @param topicPartitions partitions of each Majlis topic when it is first created
 * @param serviceJavaOptions JVM options for each service process that has none of its own
 * @param ownJavaOptions JVM options of the services that have their own, by service name
 * @param startTimeout how long every part together may take to become ready
 * @param docs the folder of Markdown pages content-service imports at start-up
 */
record LocalSettings(Path home, Path dataDirectory, Map<String, Port> ports, int topicPartitions,
    List<String> serviceJavaOptions, Map<String, List<String>> ownJavaOptions, Duration startTimeout, Path docs) {

    /** The services whose JVM options may be set apart from the others', e.g. MAJLIS_GATEWAY_JAVA_OPTS. */
    static final List<String> SERVICES = List.of("content-service", "comment-service", "gateway");

    static final String GATEWAY_PORT = "MAJLIS_GATEWAY_PORT";
    static final String GATEWAY_MANAGEMENT_PORT = "MAJLIS_GATEWAY_MANAGEMENT_PORT";
    static final String CONTENT_PORT = "MAJLIS_CONTENT_PORT";
    static final String COMMENT_PORT = "MAJLIS_COMMENT_PORT";
    static final String POSTGRES_PORT = "MAJLIS_POSTGRES_PORT";
    static final String KAFKA_PORT = "MAJLIS_KAFKA_PORT";
    static final String KAFKA_CONTROLLER_PORT = "MAJLIS_KAFKA_CONTROLLER_PORT";
    static final String SMTP_PORT = "MAJLIS_SMTP_PORT";

    /**
     * Tuned for a quick start on a laptop: the C1 compiler alone halves the services' start on 2 cores, at the
     * cost of peak throughput. Benchmarks set MAJLIS_SERVICE_JAVA_OPTS to the production options instead.
     */
    static final String DEFAULT_SERVICE_JAVA_OPTIONS = "-Xmx512m -XX:TieredStopAtLevel=1";

    /** A port, what it is for, and the variable that moves it. */
    record Port(String variable, String purpose, int number) {
    }

    static LocalSettings from(Map<String, String> environment, Path home) {
        Map<String, Port> ports = new LinkedHashMap<>();
        port(ports, environment, GATEWAY_PORT, "the gateway", 8080);
        port(ports, environment, GATEWAY_MANAGEMENT_PORT, "the gateway's health and metrics", 8090);
        port(ports, environment, CONTENT_PORT, "content-service", 8081);
        port(ports, environment, COMMENT_PORT, "comment-service", 8082);
        port(ports, environment, POSTGRES_PORT, "PostgreSQL", 15432);
        port(ports, environment, KAFKA_PORT, "Kafka", 19092);
        port(ports, environment, KAFKA_CONTROLLER_PORT, "the Kafka controller", 19093);
        port(ports, environment, SMTP_PORT, "the mail catcher (SMTP)", 1025);
        Set<Integer> seen = new HashSet<>();
        for (Port port : ports.values()) {
            if (!seen.add(port.number())) {
                throw new InvalidSetting("Two parts are set to the same port " + port.number() + "; give each of "
                    + String.join(", ", ports.keySet()) + " its own.");
            }
        }
        Path data = home.resolve(environment.getOrDefault("MAJLIS_LOCAL_DATA", ".majlis-local")).toAbsolutePath()
            .normalize();
        int partitions = number(environment, "MAJLIS_TOPIC_PARTITIONS", 3, 1, 1000);
        List<String> javaOptions = options(environment.getOrDefault("MAJLIS_SERVICE_JAVA_OPTS",
            DEFAULT_SERVICE_JAVA_OPTIONS));
        Map<String, List<String>> own = new LinkedHashMap<>();
        for (String service : SERVICES) {
            String given = environment.get(javaOptionsVariable(service));
            if (given != null && !given.isBlank()) {
                own.put(service, options(given));
            }
        }
        Duration timeout = duration(environment, "MAJLIS_START_TIMEOUT", Duration.ofMinutes(3));
        Path docs = home.resolve(environment.getOrDefault("MAJLIS_LOCAL_DOCS", "samples/docs")).toAbsolutePath()
            .normalize();
        return new LocalSettings(home, data, ports, partitions, javaOptions, Map.copyOf(own), timeout, docs);
    }

    /** The variable that sets one service's JVM options instead of MAJLIS_SERVICE_JAVA_OPTS. */
    static String javaOptionsVariable(String service) {
        return "MAJLIS_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_JAVA_OPTS";
    }

    /** The JVM options of {@code service}: its own if set, else MAJLIS_SERVICE_JAVA_OPTS. */
    List<String> javaOptions(String service) {
        return ownJavaOptions.getOrDefault(service, serviceJavaOptions);
    }

    private static List<String> options(String line) {
        return List.of(line.trim().split("\\s+"));
    }

    int port(String variable) {
        return ports.get(variable).number();
    }

    private static void port(Map<String, Port> ports, Map<String, String> environment, String variable,
        String purpose, int fallback) {
        ports.put(variable, new Port(variable, purpose, number(environment, variable, fallback, 1, 65535)));
    }

    private static int number(Map<String, String> environment, String variable, int fallback, int min, int max) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        }
        catch (NumberFormatException ex) {
            // Reported below, with the range.
        }
        throw new InvalidSetting(variable + " must be a whole number from " + min + " to " + max + "; it is '"
            + value + "'.");
    }

    private static Duration duration(Map<String, String> environment, String variable, Duration fallback) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String trimmed = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (trimmed.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(trimmed.substring(0, trimmed.length() - 2)));
            }
            if (trimmed.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)));
            }
            if (trimmed.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)));
            }
            return Duration.parse(value.trim());
        }
        catch (NumberFormatException | DateTimeParseException ex) {
            throw new InvalidSetting(variable + " must be a duration such as 90s or 3m; it is '" + value + "'.");
        }
    }

    /** A setting that cannot be used as given; its message says which and what to do. */
    static final class InvalidSetting extends RuntimeException {
        InvalidSetting(String message) {
            super(message);
        }
    }
}
