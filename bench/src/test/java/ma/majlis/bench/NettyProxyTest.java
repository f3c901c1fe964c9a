package ma.majlis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class NettyProxyTest {

    /** What the upstream saw of each request: method, path, headers of note, body and the connection it came on. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final HttpClient client = HttpClient.newHttpClient();

    private DisposableServer upstream;

    private DisposableServer proxy;

    @BeforeEach
    void start() {
        upstream = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> request.receive().aggregate().asString().defaultIfEmpty("")
                .flatMap(body -> {
                    seen.add(request.method() + " " + request.uri() + " xff=" + request.requestHeaders()
                        .get("X-Forwarded-For") + " te=" + request.requestHeaders().get("Transfer-Encoding")
                        + " custom=" + request.requestHeaders().get("X-Custom") + " body=" + body + " from="
                        + request.remoteAddress().getPort());
                    return response.status(201).header("X-Upstream", "yes").sendString(Mono.just("answer to "
                        + request.uri())).then();
                }))
            .bindNow();
        proxy = NettyProxy.serve(upstream.port(), LocalServers.freePort());
    }

    @AfterEach
    void stop() {
        proxy.disposeNow();
        upstream.disposeNow();
    }

    @Test
    void passesRequestsAndAnswersOnOverKeptConnections() throws Exception {
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri("/a/b?c=d")).header("X-Custom", "kept")
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/posts"))
            .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(201);
        assertThat(get.headers().firstValue("X-Upstream")).hasValue("yes");
        assertThat(get.body()).isEqualTo("answer to /a/b?c=d");
        assertThat(post.body()).isEqualTo("answer to /posts");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("GET /a/b?c=d xff=127.0.0.1 te=null custom=kept body= from=");
        assertThat(seen.get(1)).startsWith("POST /posts xff=127.0.0.1 te=null custom=null body=hello from=");
        assertThat(port(seen.get(1))).as("the second request reuses the first one's upstream connection")
            .isEqualTo(port(seen.get(0)));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + proxy.port() + path);
    }

    private static String port(String line) {
        return line.substring(line.indexOf(" from=") + 6);
    }
}
