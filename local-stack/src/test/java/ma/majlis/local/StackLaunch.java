package ma.majlis.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ma.majlis.infra.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/** Command one's launcher, started from its jar as a process for a test, and everything it printed. */
class StackLaunch {

    static final Path HOME = Path.of(System.getProperty("majlis.home", "..")).toAbsolutePath().normalize();

    static final Duration START_LIMIT = Duration.ofMinutes(4);

    final Process process;

    final List<String> output = new CopyOnWriteArrayList<>();

    final Thread reader;

    /** Settings that put every part on a free port and the data in {@code dataDirectory}. */
    static Map<String, String> freePorts(Path dataDirectory) {
        Map<String, String> environment = new HashMap<>();
        for (String variable : List.of(LocalSettings.GATEWAY_PORT, LocalSettings.GATEWAY_MANAGEMENT_PORT,
            LocalSettings.CONTENT_PORT, LocalSettings.COMMENT_PORT, LocalSettings.POSTGRES_PORT,
            LocalSettings.KAFKA_PORT, LocalSettings.KAFKA_CONTROLLER_PORT, LocalSettings.SMTP_PORT)) {
            environment.put(variable, String.valueOf(Ports.free()));
        }
        environment.put("MAJLIS_LOCAL_DATA", dataDirectory.toString());
        environment.put("MAJLIS_START_TIMEOUT", START_LIMIT.toSeconds() + "s");
        return environment;
    }

    /** Starts the launcher's jar with {@code environment}. */
    static StackLaunch start(Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dmajlis.home=" + HOME,
            "-jar", HOME.resolve("local-stack/target/local-stack.jar").toString())
            .redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new StackLaunch(builder.start());
    }

    StackLaunch(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                }
            }
            catch (IOException ex) {
                // The process ended.
            }
        }, "launcher-output");
        reader.setDaemon(true);
        reader.start();
    }

    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.plusSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(line -> line.startsWith(LocalStack.READY_LINE))) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The stack did not report ready. It printed:\n" + String.join("\n", output));
    }

    void stop() throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close the pipe we read the output from.
        process.toHandle().destroy();
        // Up to two minutes when the services write their class archives (the first stop after a build).
        assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("launcher stopped after SIGTERM").isTrue();
        reader.join(10_000);
        assertThat(output).anyMatch(line -> line.endsWith("Stopped."));
    }
}
