package ma.majlis.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/** One service of the stack, run from its jar as a child process whose output goes to a log file. */
public final class ServiceProcess {

    private final String name;

    private final Path jar;

    private final int port;

    private final int managementPort;

    private final Map<String, String> environment;

    private final Path log;

    private @Nullable Process process;

    /**
     * @param managementPort where its Actuator endpoints answer: its own port, or a separate one (the gateway's,
     * so that its health and metrics are not served to the public)
     */
    public ServiceProcess(String name, Path jar, int port, int managementPort, Map<String, String> environment,
        Path logDirectory) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.managementPort = managementPort;
        this.environment = environment;
        this.log = logDirectory.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public void start(List<String> javaOptions, Path agent) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-javaagent:" + agent + "=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + name + " from " + jar + ": " + ex.getMessage(), ex);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Whether the service's readiness group answers UP (HTTP 200). */
    public boolean isReady(HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks the service to shut down gracefully; kills it if it has not within {@code grace}. */
    public void stop(Duration grace) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                running.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly();
                running.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    /**
     * Stops {@code services} together, each as {@link #stop(Duration)} does: each finishes its in-flight requests
     * while the others do, so the whole takes as long as the slowest, not the sum.
     */
    public static void stopAll(List<ServiceProcess> services, Duration grace) {
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess service : services) {
            Thread thread = new Thread(() -> service.stop(grace), "stop-" + service.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the service outright (SIGKILL), as a crash or an out-of-memory killer would, and waits for it to end. */
    public void kill() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroyForcibly();
        try {
            running.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process id of the running service, or -1 when it is not running. */
    public long pid() {
        Process running = process;
        return running != null && running.isAlive() ? running.pid() : -1;
    }

    /** The last lines the service wrote, for a report when it failed to start. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        }
        catch (IOException | UncheckedIOException ex) {
            return List.of("(no log at " + log + ")");
        }
    }
}
