package ma.majlis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The floor under the gateway's comparison: a reverse proxy on Reactor Netty alone, the HTTP server and client the
 * gateway itself runs on, without Spring. It does what the benchmark's nginx does (keep-alive connections to one
 * upstream, the request's method, path and headers passed on with X-Forwarded-For, the answer streamed back) and
 * nothing else: no routing table, no security, no CORS, no limits, no observations. Whatever the gateway costs above
 * it is what Spring WebFlux, Spring Cloud Gateway and Majlis's own filters add. A benchmark fixture, not part of
 * Majlis.
 */
final class NettyProxy implements AutoCloseable {

    /** Hop-by-hop headers (RFC 9110, 7.6.1; RFC 2616, 13.5.1): for one connection, never passed on. */
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
        HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE);

    private final Path folder;

    private final int upstreamPort;

    private final int port;

    private final String javaOptions;

    private @Nullable Process process;

    /** A proxy process in front of {@code upstreamPort}, run with the given JVM options (the gateway's). */
    NettyProxy(Path folder, int upstreamPort, String javaOptions) {
        this.folder = folder;
        this.upstreamPort = upstreamPort;
        this.port = LocalServers.freePort();
        this.javaOptions = javaOptions;
    }

    int port() {
        return port;
    }

    NettyProxy start() {
        List<String> command = new ArrayList<>();
        command.add(StackProcess.javaCommand());
        command.addAll(List.of(javaOptions.strip().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NettyProxy.class.getName(),
            Integer.toString(upstreamPort), Integer.toString(port)));
        try {
            Files.createDirectories(folder);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("netty-proxy.out").toFile()).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the Reactor Netty proxy", ex);
        }
        if (LocalServers.awaitListening(process, port, Duration.ofSeconds(30))) {
            return this;
        }
        close();
        throw new IllegalStateException("The Reactor Netty proxy did not listen on " + port + "; see "
            + folder.resolve("netty-proxy.out"));
    }

    @Override
    public void close() {
        LocalServers.stop(process);
    }

    /** Serves on 127.0.0.1:{@code port}, passing every request on to 127.0.0.1:{@code upstreamPort}. */
    static DisposableServer serve(int upstreamPort, int port) {
        // The load has 64 clients, so at most 64 connections to the upstream, as nginx keeps; more would wait.
        HttpClient client = HttpClient.create(ConnectionProvider.builder("upstream").maxConnections(64)
                .pendingAcquireMaxCount(-1).build())
            .baseUrl("http://127.0.0.1:" + upstreamPort);
        return HttpServer.create().host("127.0.0.1").port(port)
            .handle((request, response) -> {
                HttpHeaders headers = request.requestHeaders().copy();
                HOP_BY_HOP.forEach(headers::remove);
                String address = request.remoteAddress() == null ? null
                    : request.remoteAddress().getAddress().getHostAddress();
                if (address != null) {
                    headers.set("X-Forwarded-For", address);
                }
                return client.headers(outbound -> outbound.set(headers))
                    .request(request.method())
                    .uri(request.uri())
                    .send(request.receive().retain())
                    .response((answer, body) -> {
                        HttpHeaders back = answer.responseHeaders().copy();
                        HOP_BY_HOP.forEach(back::remove);
                        return response.status(answer.status()).headers(back).send(body.retain());
                    });
            })
            .bindNow();
    }

    public static void main(String[] args) {
        DisposableServer server = serve(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        server.onDispose().block();
    }
}
