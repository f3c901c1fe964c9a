package ma.majlis.local;

import java.io.File;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import ma.majlis.local.agent.ParentWatch;

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

    /** Starts the service from its packaged jar, with {@code agent} attached as a Java agent. */
    public void start(List<String> javaOptions, Path agent) {
        start(javaOptions, agent, null);
    }

    /**
     * Starts the service.
     *
     * @param agent the jar of {@link ParentWatch}, which ends the service when this process ends
     * @param mainClass the service's main class when its jar is an unpacked one ({@link QuickStart}): both jars
     * then go on the class path and the watch runs as the main class in front of it; {@code null}: the watch is
     * attached as a Java agent and the jar runs with {@code -jar}
     */
    public void start(List<String> javaOptions, Path agent, @Nullable String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        String launcher = String.valueOf(ProcessHandle.current().pid());
        if (mainClass == null) {
            command.addAll(List.of("-javaagent:" + agent + "=" + launcher, "-jar", jar.toString()));
        }
        else {
            command.addAll(List.of("-cp", agent + File.pathSeparator + jar, ParentWatch.class.getName(), launcher,
                mainClass));
        }
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

    /**
     * Asks the service to shut down gracefully; kills it if it has not within {@code grace}.
     *
     * @return whether it was running and ended on its own within {@code grace}
     */
    public boolean stop(Duration grace) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return false;
        }
        running.destroy();
        try {
            if (running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
            running.waitFor(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
        return false;
    }

    /**
     * Stops {@code services} together, each as {@link #stop(Duration)} does: each finishes its in-flight requests
     * while the others do, so the whole takes as long as the slowest, not the sum.
     *
     * @return the names of those that ended on their own within {@code grace}
     */
    public static Set<String> stopAll(List<ServiceProcess> services, Duration grace) {
        Set<String> endedOnTheirOwn = ConcurrentHashMap.newKeySet();
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess service : services) {
            Thread thread = new Thread(() -> {
                if (service.stop(grace)) {
                    endedOnTheirOwn.add(service.name());
                }
            }, "stop-" + service.name());
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
        return Set.copyOf(endedOnTheirOwn);
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
