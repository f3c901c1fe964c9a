package ma.majlis.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static ma.majlis.local.DeploymentFilesTest.map;
import static ma.majlis.local.DeploymentFilesTest.variablesRead;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No cluster runs where these tests run, so the Kubernetes manifests are held to the services they deploy: each
 * runs more than one replica, is probed on the Actuator endpoints of the port that answers them, asks for the
 * resources it needs, takes its settings from a ConfigMap and its secrets from a Secret, and sets nothing the
 * service does not read.
 */
class KubernetesManifestsTest {

    static final Path BASE = DeploymentFilesTest.HOME.resolve("deploy/kubernetes/base");

    static final List<Map<String, Object>> resources = resources();

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> resources() {
        Map<String, Object> kustomization = DeploymentFilesTest.yaml(BASE.resolve("kustomization.yaml"));
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object file : (List<Object>) kustomization.get("resources")) {
            try {
                for (Object document : new Yaml().loadAll(Files.readString(BASE.resolve(file.toString())))) {
                    all.add((Map<String, Object>) document);
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return all;
    }

    static Map<String, Object> resource(String kind, String name) {
        return resources.stream()
            .filter(resource -> kind.equals(resource.get("kind"))
                && name.equals(map(resource.get("metadata")).get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No " + kind + " named " + name + " in " + BASE));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(String service) {
        Map<String, Object> pod = map(map(resource("Deployment", service).get("spec")).get("template"));
        List<Object> containers = (List<Object>) map(pod.get("spec")).get("containers");
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> env(Map<String, Object> container) {
        return ((List<Object>) container.get("env")).stream().map(DeploymentFilesTest::map)
            .collect(Collectors.toMap(variable -> variable.get("name").toString(),
                variable -> String.valueOf(variable.get("value"))));
    }

    /** The variables the container's process sees: those of its ConfigMap, and its own over them. */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> container) {
        Map<String, String> seen = new java.util.HashMap<>();
        for (Object source : (List<Object>) container.get("envFrom")) {
            Object reference = map(source).get("configMapRef");
            if (reference != null) {
                String name = map(reference).get("name").toString();
                map(resource("ConfigMap", name).get("data")).forEach((key, value) -> seen.put(key, value.toString()));
            }
        }
        seen.putAll(env(container));
        return seen;
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    void leavesRoomBesideTheHeapWithinTheMemoryLimit(String service) {
        Map<String, Object> container = container(service);
        long limit = DeploymentFilesTest.mebibytes(
            map(map(container.get("resources")).get("limits")).get("memory").toString());
        int percent = DeploymentFilesTest.maxRamPercentage(environment(container).get("JAVA_TOOL_OPTIONS"));
        assertThat(limit - limit * percent / 100)
            .as("%s: MiB beside a heap of %d %% of %d MiB", service, percent, limit)
            .isGreaterThanOrEqualTo(DeploymentFilesTest.BESIDE_HEAP_MIB);
    }

    @Test
    void givesEveryServiceTheJvmOptionsOfTheImage() throws IOException {
        String dockerfile = Files.readString(DeploymentFilesTest.HOME.resolve("Dockerfile"));
        Matcher image = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
        assertThat(image.find()).as("JAVA_TOOL_OPTIONS in the Dockerfile").isTrue();
        Matcher arenas = Pattern.compile("MALLOC_ARENA_MAX=(\\d+)").matcher(dockerfile);
        assertThat(arenas.find()).as("MALLOC_ARENA_MAX in the Dockerfile").isTrue();
        for (String service : List.of("content-service", "comment-service", "gateway")) {
            Map<String, String> environment = environment(container(service));
            assertThat(environment.get("JAVA_TOOL_OPTIONS")).as(service).isEqualTo(image.group(1));
            assertThat(environment.get("MALLOC_ARENA_MAX")).as(service).isEqualTo(arenas.group(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    void runsSeveralReplicasThatRollWithoutDowntimeAndMayNotAllBeEvicted(String service) {
        Map<String, Object> spec = map(resource("Deployment", service).get("spec"));
        assertThat((Integer) spec.get("replicas")).isGreaterThan(1);
        assertThat(map(map(spec.get("strategy")).get("rollingUpdate")).get("maxUnavailable")).isEqualTo(0);
        assertThat(map(resource("PodDisruptionBudget", service).get("spec")).get("minAvailable")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    @SuppressWarnings("unchecked")
    void probesLivenessAndReadinessOnThePortActuatorAnswers(String service) {
        Map<String, Object> container = container(service);
        Map<String, String> env = env(container);
        int management = Integer.parseInt(env.getOrDefault("MAJLIS_GATEWAY_MANAGEMENT_PORT",
            env.get("MAJLIS_HTTP_PORT")));
        Map<String, Integer> ports = ((List<Object>) container.get("ports")).stream().map(DeploymentFilesTest::map)
            .collect(Collectors.toMap(port -> port.get("name").toString(), port -> (Integer) port.get("containerPort")));
        assertThat(ports.get("http")).isEqualTo(Integer.parseInt(env.get("MAJLIS_HTTP_PORT")));

        Map<String, String> probes = Map.of("startupProbe", "/actuator/health/liveness",
            "livenessProbe", "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
        probes.forEach((probe, path) -> {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertThat(get.get("path")).as("%s %s", service, probe).isEqualTo(path);
            assertThat(ports.get(get.get("port").toString())).as("%s %s port", service, probe).isEqualTo(management);
        });
        Map<String, Object> application = DeploymentFilesTest.yaml(
            DeploymentFilesTest.HOME.resolve(service + "/src/main/resources/application.yml"));
        assertThat(map(map(map(application.get("management")).get("endpoint")).get("health")).get("probes"))
            .isEqualTo(Map.of("enabled", true));
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    void requestsCpuAndMemoryAndCapsMemory(String service) {
        Map<String, Object> resources = map(container(service).get("resources"));
        assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
        assertThat(map(resources.get("limits"))).containsKey("memory");
    }

    @ParameterizedTest
    @ValueSource(strings = { "content-service", "comment-service", "gateway" })
    @SuppressWarnings("unchecked")
    void takesSettingsFromTheConfigMapAndSecretsFromASecretAndNothingTheServiceDoesNotRead(String service) {
        Map<String, Object> container = container(service);
        List<Map<String, Object>> sources = ((List<Object>) container.get("envFrom")).stream()
            .map(DeploymentFilesTest::map).toList();
        String config = map(sources.stream().filter(source -> source.containsKey("configMapRef")).findFirst()
            .orElseThrow().get("configMapRef")).get("name").toString();
        String secret = map(sources.stream().filter(source -> source.containsKey("secretRef")).findFirst()
            .orElseThrow().get("secretRef")).get("name").toString();
        Map<String, Object> secrets = map(resource("Secret", secret).get("stringData"));
        assertThat(secrets.keySet()).allMatch(key -> key.contains("PASSWORD") || key.contains("SECRET")
            || key.startsWith("MAJLIS_DB_"));

        Set<String> read = variablesRead(service).keySet();
        assertThat(secrets.keySet()).as("%s's secret", service).allMatch(read::contains);
        assertThat(env(container).keySet()).as("%s's own variables", service)
            .allMatch(variable -> read.contains(variable) || DeploymentFilesTest.JVM_VARIABLES.contains(variable));
        // The shared ConfigMap holds every part's settings; each must be read by at least one of them.
        Set<String> readByAny = new java.util.HashSet<>();
        for (String part : List.of("content-service", "comment-service", "gateway")) {
            readByAny.addAll(variablesRead(part).keySet());
        }
        assertThat(map(resource("ConfigMap", config).get("data")).keySet())
            .allMatch(variable -> readByAny.contains(variable) || DeploymentFilesTest.JVM_VARIABLES.contains(variable));
    }

    @Test
    void setsEveryLaptopOnlyDefaultOfEveryService() {
        Map<String, Object> config = map(resource("ConfigMap", "majlis-config").get("data"));
        for (String service : List.of("content-service", "comment-service", "gateway")) {
            Set<String> given = new java.util.HashSet<>(config.keySet());
            given.addAll(env(container(service)).keySet());
            Map<String, Object> secrets = map(resource("Secret", service + "-secrets").get("stringData"));
            given.addAll(secrets.keySet());
            variablesRead(service).forEach((variable, fallback) -> {
                if (fallback.contains("localhost")) {
                    assertThat(given).as("%s must be given %s (its default %s is a laptop's)", service, variable,
                        fallback).contains(variable);
                }
            });
        }
    }
}
