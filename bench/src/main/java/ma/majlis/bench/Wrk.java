package ma.majlis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's wrk against loopback, two threads (one a core), and reads what it printed. */
final class Wrk {

    private final Path scripts;

    Wrk(Path scripts) {
        this.scripts = scripts;
    }

    WrkResult get(String url, int connections, Duration duration) {
        return run(url, connections, duration, null);
    }

    /**
     * POSTs a comment to one of {@code slugs} per request, in turn, each with a body no other request of the run has.
     */
    WrkResult postComments(String baseUrl, List<String> slugs, int connections, Duration duration) {
        StringBuilder list = new StringBuilder();
        for (String slug : slugs) {
            list.append(list.length() == 0 ? "" : ", ").append('"').append(slug).append('"');
        }
        String script = """
            -- Written by the benchmark harness: each request posts a comment with a body of its own.
            local slugs = { %s }
            local counter = 0
            local thread_number = 0
            function setup(thread)
              thread:set("prefix", thread_number)
              thread_number = thread_number + 1
            end
            function init(args)
              math.randomseed(os.time() + prefix)
            end
            function request()
              counter = counter + 1
              local slug = slugs[(counter %% #slugs) + 1]
              local body = string.format(
                '{"authorName":"Bench reader %%d","body":"Comment %%d-%%d of the benchmark, with *some* Markdown: %%d"}',
                prefix, prefix, counter, math.random(1000000000))
              return wrk.format("POST", "/api/articles/" .. slug .. "/comments",
                { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }, body)
            end
            """.formatted(list);
        Path file = scripts.resolve("post-comments-" + slugs.size() + ".lua");
        try {
            Files.createDirectories(scripts);
            Files.writeString(file, script, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return run(baseUrl, connections, duration, file);
    }

    private static WrkResult run(String url, int connections, Duration duration, Path script) {
        String host = URI.create(url).getHost();
        if (!"127.0.0.1".equals(host)) {
            throw new IllegalArgumentException("The benchmark loads 127.0.0.1 only, not " + host);
        }
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections,
            "-d" + duration.toSeconds() + "s", "--timeout", "10s", "--latency"));
        if (script != null) {
            command.add("-s");
            command.add(script.toString());
        }
        command.add(url);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk did not end: " + command);
            }
            return WrkResult.parse(output);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not run wrk (Debian: apt-get install wrk)", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }
}
