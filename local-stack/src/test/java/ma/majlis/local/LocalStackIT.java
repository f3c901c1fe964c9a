package ma.majlis.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ma.majlis.infra.Ports;
import ma.majlis.local.agent.ParentWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * README command one, as a newcomer runs it: the launcher's jar started as a process on free ports, used over
 * HTTP, stopped with SIGTERM, and started again on the same data.
 */
class LocalStackIT {

    static final Path HOME = StackLaunch.HOME;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final List<Process> launched = new ArrayList<>();

    @TempDir
    Path data;

    @AfterEach
    void stopAnythingLeft() throws InterruptedException {
        for (Process process : launched) {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void startsEveryPartServesThroughTheGatewayStopsCleanlyAndKeepsItsDataForTheNextStart() throws Exception {
        Map<String, String> environment = freePortsAnd(data);
        int gateway = Integer.parseInt(environment.get("MAJLIS_GATEWAY_PORT"));

        StackLaunch first = launch(environment);
        first.awaitReady();
        int management = Integer.parseInt(environment.get(LocalSettings.GATEWAY_MANAGEMENT_PORT));
        assertThat(get(management, "/actuator/health").body()).contains("\"status\":\"UP\"");
        HttpResponse<String> samples = get(gateway, "/api/articles");
        assertThat(samples.statusCode()).isEqualTo(200);
        assertThat(samples.body()).contains("\"slug\":\"day-1-why-morocco-needs-ml\"",
            "\"slug\":\"day-3-computer-vision-for-agriculture\"");
        assertThat(get(management, "/actuator/prometheus").body()).contains("spring_cloud_gateway_requests");
        assertThat(get(gateway, "/actuator/prometheus").statusCode())
            .as("the gateway's metrics are not served on its public port").isEqualTo(404);
        assertThat(get(gateway, "/api/articles/day-3-computer-vision-for-agriculture").body())
            .contains("🌱 Day 3: Computer Vision for Agriculture 🌱").doesNotContain("ðŸ");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + gateway + "/api/articles"))
            .header("Content-Type", "text/markdown")
            .POST(HttpRequest.BodyPublishers.ofString("# Day 11: Not signed in\n"))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("article writes need an editor").isEqualTo(401);

        // A token as ./run-local token editor prints it, signed with the secret the stack gave its services.
        String editor = LocalTokens.mint(LocalTokens.secret(data), List.of("editor"));
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + gateway + "/api/articles"))
            .header("Authorization", "Bearer " + editor)
            .header("Content-Type", "text/markdown")
            .header("Content-Disposition", "inline; filename=\"day-10-nurturing-ai-talent.md\"")
            .POST(HttpRequest.BodyPublishers.ofString("---\ncomments: true\n---\n# Day 10: Nurturing AI Talent\n"))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        assertThat(get(gateway, "/api/articles/day-10-nurturing-ai-talent").statusCode()).isEqualTo(200);

        servesEveryMetricTheDashboardShows(environment, gateway, "day-10-nurturing-ai-talent");
        showsTheNotificationMailsInTheMailCatcher(first, gateway, "day-10-nurturing-ai-talent");

        List<ProcessHandle> parts = first.process.descendants().toList();
        assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
        first.stop();
        for (ProcessHandle part : parts) {
            part.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(parts).noneMatch(ProcessHandle::isAlive);
        assertThat(environment.entrySet()).filteredOn(e -> e.getKey().endsWith("_PORT"))
            .allSatisfy(port -> assertThat(Ports.isTaken(Integer.parseInt(port.getValue())))
                .as("%s still taken after the stop", port.getKey()).isFalse());

        StackLaunch second = launch(environment);
        second.awaitReady();
        assertThat(get(gateway, "/api/articles/day-10-nurturing-ai-talent").statusCode()).isEqualTo(200);
        mapsTheClassArchiveAnEarlierRunOfEachServiceRecorded(second);
        second.stop();
    }

    /**
     * What makes a warm start quick (QuickStart): each service runs unpacked and maps the class data sharing
     * archive that its first run after the build wrote as it stopped (this test's first start, or an earlier test's
     * on the same build). Read from /proc: the archive is in the process's memory map.
     */
    private static void mapsTheClassArchiveAnEarlierRunOfEachServiceRecorded(StackLaunch stack) throws IOException {
        List<ProcessHandle> services = stack.process.children()
            .filter(child -> child.info().arguments().map(List::of).orElse(List.of())
                .contains(ParentWatch.class.getName()))
            .toList();
        assertThat(services).hasSize(3);
        for (ProcessHandle service : services) {
            List<String> arguments = service.info().arguments().map(List::of).orElseThrow();
            String archive = arguments.stream().filter(argument -> argument.startsWith("-XX:SharedArchiveFile="))
                .map(argument -> argument.substring("-XX:SharedArchiveFile=".length()))
                .findFirst().orElseThrow(() -> new AssertionError("no archive to map: " + arguments));
            assertThat(archive).contains("local-stack/target/quick-start/");
            assertThat(Files.readAllLines(Path.of("/proc", Long.toString(service.pid()), "maps")))
                .as("%s maps %s", arguments.get(arguments.size() - 1), archive)
                .anyMatch(line -> line.endsWith(archive));
        }
        assertThat(stack.output).noneMatch(line -> line.contains("did not use its class archive"));
    }

    @Test
    void namesATakenPortInOneLineAndStartsNothing() throws Exception {
        Map<String, String> environment = freePortsAnd(data);
        try (ServerSocket squatter = new ServerSocket(0)) {
            environment.put("MAJLIS_GATEWAY_PORT", String.valueOf(squatter.getLocalPort()));
            StackLaunch launch = launch(environment);
            assertThat(launch.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(launch.process.exitValue()).isEqualTo(2);
            launch.reader.join(10_000);
            assertThat(launch.output).contains("[majlis] Port " + squatter.getLocalPort()
                + " (the gateway) is already in use: stop what listens there, or choose another port with "
                + "MAJLIS_GATEWAY_PORT=<port>.");
            assertThat(launch.output).noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
            assertThat(launch.output).noneMatch(line -> line.contains("Starting"));
        }
    }

    /**
     * The Grafana dashboard in deploy/grafana shows only series the running services really serve: after a
     * comment is posted and one refused, every metric its queries name is in some service's scrape.
     */
    private void servesEveryMetricTheDashboardShows(Map<String, String> environment, int gateway, String slug)
        throws Exception {
        String comments = "http://localhost:" + gateway + "/api/articles/" + slug + "/comments";
        await().atMost(Duration.ofSeconds(30)).until(() -> post(comments, "{\"authorName\": \"Amina\", "
            + "\"body\": \"Shown on the dashboard\"}").statusCode() == 201);
        assertThat(post(comments, "{\"authorName\": \"Amina\", \"body\": \"\"}").statusCode()).isEqualTo(422);

        StringBuilder scrapes = new StringBuilder();
        for (String port : List.of(LocalSettings.GATEWAY_MANAGEMENT_PORT, LocalSettings.CONTENT_PORT,
            LocalSettings.COMMENT_PORT)) {
            HttpResponse<String> scrape = get(Integer.parseInt(environment.get(port)), "/actuator/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            scrapes.append(scrape.body()).append('\n');
        }
        Set<String> served = scrapes.toString().lines()
            .filter(line -> !line.startsWith("#") && !line.isBlank())
            .map(line -> line.split("[{ ]", 2)[0])
            .collect(Collectors.toSet());
        Set<String> shown = DashboardQueries.metrics(HOME.resolve("deploy/grafana/majlis.json"));
        assertThat(shown).as("the dashboard's metrics").hasSizeGreaterThan(10);
        assertThat(served).as("series the services serve").containsAll(shown);
    }

    /**
     * A newcomer follows a discussion: the confirmation mail shows in the launcher's output with its link, the link
     * confirms through the gateway, and the next comment's mail shows too, each kept as an .eml file.
     */
    private void showsTheNotificationMailsInTheMailCatcher(StackLaunch stack, int gateway, String slug)
        throws Exception {
        String base = "http://localhost:" + gateway;
        assertThat(post(base + "/api/articles/" + slug + "/subscriptions", "{\"email\": \"newcomer@example.ma\"}")
            .statusCode()).isEqualTo(202);
        String confirmLink = base + "/api/subscriptions/confirm?token=";
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.output.stream()
            .anyMatch(line -> line.contains("link: " + confirmLink)));
        assertThat(stack.output).anyMatch(line -> line.contains("Mail to newcomer@example.ma: \u201cConfirm:"));
        String link = stack.output.stream().filter(line -> line.contains("link: " + confirmLink)).findFirst()
            .orElseThrow().strip().substring("link: ".length());
        String token = link.substring(confirmLink.length());
        HttpResponse<String> confirmed = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/subscriptions/confirm")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(post(base + "/api/articles/" + slug + "/comments", "{\"authorName\": \"Salma\", "
            + "\"body\": \"Welcome to the discussion\"}").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.output.stream()
            .anyMatch(line -> line.contains("Mail to newcomer@example.ma: \u201cSalma commented on")));
        try (var mails = java.nio.file.Files.list(data.resolve("mail"))) {
            assertThat(mails.filter(file -> file.toString().endsWith(".eml")).count()).isGreaterThanOrEqualTo(2);
        }
    }

    private HttpResponse<String> post(String uri, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> freePortsAnd(Path dataDirectory) {
        return StackLaunch.freePorts(dataDirectory);
    }

    private StackLaunch launch(Map<String, String> environment) throws IOException {
        StackLaunch launch = StackLaunch.start(environment);
        launched.add(launch.process);
        return launch;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
