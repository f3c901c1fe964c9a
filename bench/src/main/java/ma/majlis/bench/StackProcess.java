package ma.majlis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import ma.majlis.local.LocalStack;

/**
 * The local stack (README command one) as a process of its own, started from its jar with the benchmark's
 * settings, and the service processes it runs.
 */
final class StackProcess implements AutoCloseable {

    static final String READY_LINE = "Majlis is up";

    /**
     * The services by name, and the jar their command line names: the packaged one, or its unpacked copy that the
     * launcher runs (local-stack's QuickStart), which has the same file name.
     */
    static final Map<String, String> SERVICES = Map.of(
        "gateway", "/gateway.jar",
        "content-service", "/content-service.jar",
        "comment-service", "/comment-service.jar");

    private final Path home;

    private final Map<String, String> environment;

    private final Path log;

    private Process process;

    StackProcess(Path home, Map<String, String> environment, Path log) {
        this.home = home;
        this.environment = environment;
        this.log = log;
    }

    /** Starts the stack and waits until it reports every part ready; answers how long that took. */
    Duration start(Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(List.of(javaCommand(), "-Dmajlis.home=" + home,
            "-jar", home.resolve("local-stack/target/local-stack.jar").toString()))
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        try {
            process = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the local stack", ex);
        }
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains(READY_LINE)) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The local stack stopped before it was up; its output is in " + log);
            }
            sleep(Duration.ofMillis(100));
        }
        close();
        throw new IllegalStateException("The local stack was not up within " + timeout + "; its output is in " + log);
    }

    /** The process id of each service the stack runs, by name. */
    Map<String, Long> servicePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        process.toHandle().descendants().forEach(child -> {
            String command = String.join(" ", child.info().arguments().map(List::of).orElse(List.of()));
            SERVICES.forEach((name, jar) -> {
                if (command.contains(jar)) {
                    pids.put(name, child.pid());
                }
            });
        });
        if (pids.size() != SERVICES.size()) {
            throw new IllegalStateException("Found the processes of " + pids.keySet() + " only, not of every one of "
                + SERVICES.keySet());
        }
        return pids;
    }

    /** Stops the stack with SIGTERM, as Ctrl-C does, and waits for it and its services to end. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> parts = new ArrayList<>(process.toHandle().descendants().toList());
        process.destroy();
        try {
            // Up to two minutes when the services write their class archives (the first stop after a build).
            if (!process.waitFor(150, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle part : parts) {
                part.onExit().get(30, TimeUnit.SECONDS);
            }
        }
        catch (Exception ex) {
            parts.forEach(ProcessHandle::destroyForcibly);
        }
        process = null;
    }

    /** Whether this start was the first of its build and JVM options, which records the class archives. */
    boolean recordsClassArchives() {
        return logText().contains(LocalStack.RECORDING_LINE);
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    /** The resident set of process {@code pid}, in MiB, from /proc. */
    static Optional<Double> rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                }
            }
        }
        catch (IOException | NumberFormatException ex) {
            // Gone, or not Linux: no figure.
        }
        return Optional.empty();
    }

    /** CPU time (user and system) process {@code pid} has used, in seconds, from /proc (0 when unknown). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    static String javaCommand() {
        String javaHome = System.getenv("JAVA_HOME");
        return javaHome == null || javaHome.isBlank() ? "java" : Path.of(javaHome, "bin", "java").toString();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }
}
