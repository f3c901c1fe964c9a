package ma.majlis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Debian's nginx as a plain reverse proxy in front of one service, for the gateway's comparison: one worker (as the
 * gateway has one process), HTTP/1.1 with keep-alive connections to the upstream, no caching, no buffering limits
 * in the way.
 */
final class Nginx implements AutoCloseable {

    private final Path folder;

    private final int port;

    private @Nullable Process process;

    Nginx(Path folder, int upstreamPort) {
        this.folder = folder;
        this.port = LocalServers.freePort();
        String config = """
            # Written by the benchmark harness.
            daemon off;
            master_process off;
            worker_processes 1;
            pid %1$s/nginx.pid;
            error_log %1$s/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path %1$s/body;
              proxy_temp_path %1$s/proxy;
              fastcgi_temp_path %1$s/fastcgi;
              uwsgi_temp_path %1$s/uwsgi;
              scgi_temp_path %1$s/scgi;
              keepalive_requests 100000;
              upstream service {
                server 127.0.0.1:%2$d;
                keepalive 64;
              }
              server {
                listen 127.0.0.1:%3$d;
                location / {
                  proxy_pass http://service;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $remote_addr;
                }
              }
            }
            """.formatted(folder.toAbsolutePath(), upstreamPort, port);
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("nginx.conf"), config, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    int port() {
        return port;
    }

    Nginx start() {
        try {
            process = new ProcessBuilder(List.of(command(), "-p", folder.toAbsolutePath().toString(), "-c",
                folder.resolve("nginx.conf").toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("nginx.out").toFile())
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start nginx (Debian: apt-get install nginx-light)", ex);
        }
        if (LocalServers.awaitListening(process, port, Duration.ofSeconds(5))) {
            return this;
        }
        close();
        throw new IllegalStateException("nginx did not listen on " + port + "; see " + folder.resolve("error.log"));
    }

    @Override
    public void close() {
        LocalServers.stop(process);
    }

    static String command() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "nginx";
    }
}
