package ma.majlis.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ma.majlis.infra.Databases;
import ma.majlis.infra.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where these tests run, so docker-compose.yml is checked against the services it
 * deploys: what it sets is what they read, and its ports and health checks are theirs.
 */
class DeploymentFilesTest {

    static final Path HOME = Path.of(System.getProperty("majlis.home", "..")).toAbsolutePath().normalize();

    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    /** Variables the JVM, the C library under it or the image reads rather than the application. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "MALLOC_ARENA_MAX");

    static final Map<String, Object> compose = yaml(HOME.resolve("docker-compose.yml"));

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    void setsOnlyVariablesTheServiceReads(String service) {
        Map<String, String> read = variablesRead(service);
        assertThat(environment(service).keySet())
            .allSatisfy(variable -> assertThat(read.containsKey(variable) || JVM_VARIABLES.contains(variable))
                .as("%s sets %s, which %s never reads", "docker-compose.yml", variable, service)
                .isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    void setsEverySettingWhoseDefaultOnlySuitsALaptop(String service) {
        Map<String, String> environment = environment(service);
        variablesRead(service).forEach((variable, fallback) -> {
            if (fallback.contains("localhost")) {
                assertThat(environment).as("%s must set %s (its default %s is a laptop's)", service, variable,
                    fallback).containsKey(variable);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    void probesTheReadinessEndpointOnThePortTheServiceListensOn(String service) {
        int port = Integer.parseInt(environment(service).get("MAJLIS_HTTP_PORT"));
        // The gateway answers health and metrics on a port of its own, which is not published.
        int management = Integer.parseInt(environment(service)
            .getOrDefault("MAJLIS_GATEWAY_MANAGEMENT_PORT", String.valueOf(port)));
        Map<String, Object> definition = service(service);
        assertThat(map(map(definition.get("build")).get("args")).get("PORT")).hasToString(String.valueOf(port));
        assertThat(String.valueOf(map(map(definition.get("build")).get("args")).getOrDefault("MANAGEMENT_PORT", port)))
            .as("the image's own health check asks the port /actuator answers on").isEqualTo(String.valueOf(management));
        assertThat(String.join(" ", strings(map(definition.get("healthcheck")).get("test"))))
            .contains("http://localhost:" + management + "/actuator/health/readiness");
        assertThat(strings(definition.getOrDefault("ports", List.of())))
            .noneMatch(published -> published.endsWith(":" + management) && management != port);

        Map<String, Object> application = yaml(HOME.resolve(service + "/src/main/resources/application.yml"));
        Map<String, Object> health = map(map(map(application.get("management")).get("endpoint")).get("health"));
        assertThat(map(health.get("probes")).get("enabled")).as("%s exposes liveness and readiness", service)
            .isEqualTo(true);
        assertThat(String.valueOf(map(map(map(application.get("management")).get("endpoints")).get("web"))
            .get("exposure"))).contains("health");
    }

    @Test
    void pointsTheGatewayAtEachServiceOnItsPort() {
        Map<String, String> gateway = environment("gateway");
        assertThat(gateway.get("MAJLIS_CONTENT_SERVICE_URI"))
            .isEqualTo("http://content-service:" + environment("content-service").get("MAJLIS_HTTP_PORT"));
        assertThat(gateway.get("MAJLIS_COMMENT_SERVICE_URI"))
            .isEqualTo("http://comment-service:" + environment("comment-service").get("MAJLIS_HTTP_PORT"));
        assertThat(strings(service("gateway").get("ports")))
            .singleElement().asString().endsWith(":" + gateway.get("MAJLIS_HTTP_PORT"));
    }

    @Test
    void runsASecondCommentServiceReplicaLikeTheFirstAndSpreadsTheGatewaysRequestsOverBoth() {
        Map<String, Object> replicas = yaml(HOME.resolve("docker-compose.replicas.yml"));
        Map<String, Object> second = map(map(replicas.get("services")).get("comment-service-2"));
        assertThat(map(second.get("extends"))).containsEntry("file", "docker-compose.yml")
            .containsEntry("service", "comment-service");
        Map<String, Object> dependsOn = map(second.get("depends_on"));
        for (String part : List.of("postgres", "kafka")) {
            assertThat(map(dependsOn.get(part)).get("condition")).isEqualTo("service_healthy");
        }
        for (String job : List.of("db-init", "kafka-init")) {
            assertThat(map(dependsOn.get(job)).get("condition")).isEqualTo("service_completed_successfully");
        }

        Map<String, Object> gateway = map(map(replicas.get("services")).get("gateway"));
        String port = environment("comment-service").get("MAJLIS_HTTP_PORT");
        assertThat(String.valueOf(map(gateway.get("environment")).get("MAJLIS_COMMENT_SERVICE_URI")).split(","))
            .containsExactly("http://comment-service:" + port, "http://comment-service-2:" + port);
        assertThat(map(map(gateway.get("depends_on")).get("comment-service-2")).get("condition"))
            .isEqualTo("service_healthy");
    }

    @Test
    void givesEachServiceItsOwnDatabaseAndCreatesItFirst() throws IOException {
        assertThat(environment("content-service").get("MAJLIS_DB_NAME")).isEqualTo(Databases.CONTENT);
        assertThat(environment("comment-service").get("MAJLIS_DB_NAME")).isEqualTo(Databases.COMMENTS);
        String script = Files.readString(HOME.resolve("deploy/postgres/create-databases.sh"));
        assertThat(script).contains(Databases.CONTENT, Databases.COMMENTS);
        assertThat(String.valueOf(map(service("db-init")).get("volumes"))).contains("create-databases.sh");
    }

    @Test
    void createsTheContractTopicsWithTheirCleanupPolicies() throws IOException {
        String script = Files.readString(HOME.resolve("deploy/kafka/create-topics.sh"));
        assertThat(script).contains("--topic " + Topics.ARTICLES + " ", "--topic " + Topics.COMMENTS + " ",
            "--topic " + Topics.NOTIFICATIONS_DLQ + " ",
            "cleanup.policy=compact", "--if-not-exists");
        assertThat(String.valueOf(service("kafka-init").get("volumes"))).contains("create-topics.sh");
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service" })
    void startsAServiceOnlyAfterItsDatabaseAndBrokerAreReady(String service) {
        Map<String, Object> dependsOn = map(service(service).get("depends_on"));
        assertThat(map(dependsOn.get("postgres")).get("condition")).isEqualTo("service_healthy");
        assertThat(map(dependsOn.get("kafka")).get("condition")).isEqualTo("service_healthy");
        assertThat(map(dependsOn.get("db-init")).get("condition")).isEqualTo("service_completed_successfully");
        assertThat(map(dependsOn.get("kafka-init")).get("condition")).isEqualTo("service_completed_successfully");
    }

    @Test
    void keepsDataInNamedVolumesAndRestartsLongRunningParts() {
        assertThat(map(compose.get("volumes"))).containsKeys("postgres-data", "kafka-data");
        for (String name : List.of("postgres", "kafka", "content-service", "comment-service", "gateway")) {
            assertThat(service(name).get("restart")).as(name).isEqualTo("unless-stopped");
            assertThat(service(name)).as(name + " has a health check").containsKey("healthcheck");
        }
    }

    @Test
    void listsEveryComposeSettingInTheEnvironmentExample() throws IOException {
        String text = Files.readString(HOME.resolve("docker-compose.yml")).replace("$${", "");
        Set<String> used = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            used.add(matcher.group(1));
        }
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(HOME.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                listed.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        assertThat(listed).containsAll(used);
    }

    /**
     * What a service holds beside its heap once the heap has been used to its end: 200-250 MiB measured with the
     * recommended options (bench/FINDINGS.md, resident memory).
     */
    static final long BESIDE_HEAP_MIB = 250;

    @Test
    void leavesRoomBesideTheHeapInTheDefaultContainer() throws IOException {
        long limit = 0;
        for (String line : Files.readAllLines(HOME.resolve(".env.example"))) {
            if (line.startsWith("MAJLIS_SERVICE_MEMORY=")) {
                limit = mebibytes(line.substring(line.indexOf('=') + 1));
            }
        }
        int percent = maxRamPercentage(Files.readString(HOME.resolve("Dockerfile")));
        assertThat(limit - limit * percent / 100)
            .as("MiB beside a heap of %d %% of the default MAJLIS_SERVICE_MEMORY (%d MiB)", percent, limit)
            .isGreaterThanOrEqualTo(BESIDE_HEAP_MIB);
    }

    /** The heap's share of the container's memory that the JVM options set; failing when they set none. */
    static int maxRamPercentage(String options) {
        assertThat(options).as("JVM options").isNotNull();
        Matcher matcher = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
        assertThat(matcher.find()).as("-XX:MaxRAMPercentage in %s", options).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** A memory size as Compose ({@code 768m}, {@code 1g}) or Kubernetes ({@code 768Mi}, {@code 1Gi}) writes it. */
    static long mebibytes(String size) {
        Matcher matcher = Pattern.compile("(\\d+)([mMgG])i?").matcher(size.strip());
        assertThat(matcher.matches()).as("a size in mebibytes or gibibytes: %s", size).isTrue();
        long number = Long.parseLong(matcher.group(1));
        return matcher.group(2).equalsIgnoreCase("g") ? number * 1024 : number;
    }

    @Test
    void buildsSmallNonRootLayeredImagesInTwoStages() throws IOException {
        List<String> lines = Files.readAllLines(HOME.resolve("Dockerfile"));
        assertThat(lines).filteredOn(line -> line.startsWith("FROM ")).hasSize(2);
        assertThat(lines).anyMatch(line -> line.contains("extract --layers"));
        assertThat(lines).filteredOn(line -> line.startsWith("USER "))
            .singleElement().asString().doesNotContain("root");
    }

    /**
     * The variables the service reads, with their defaults ("" when none): its application.yml's, and those of
     * the settings every service shares (the platform's defaults, and the one its post-processor reads).
     */
    static Map<String, String> variablesRead(String service) {
        String text = read(HOME.resolve(service + "/src/main/resources/application.yml"))
            + read(HOME.resolve("platform/src/main/resources/ma/majlis/platform/defaults.properties"));
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            variables.put(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2));
        }
        Matcher literal = Pattern.compile("\"(MAJLIS_[A-Z0-9_]+)\"")
            .matcher(read(HOME.resolve("platform/src/main/java/ma/majlis/platform/PlatformDefaults.java")));
        while (literal.find()) {
            variables.putIfAbsent(literal.group(1), "");
        }
        return variables;
    }

    static Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        map(service(service).get("environment")).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        return environment;
    }

    static Map<String, Object> service(String name) {
        Map<String, Object> service = map(map(compose.get("services")).get(name));
        assertThat(service).as("docker-compose.yml defines %s", name).isNotEmpty();
        return service;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    static Map<String, Object> yaml(Path file) {
        return new Yaml().load(read(file));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read " + file, ex);
        }
    }
}
