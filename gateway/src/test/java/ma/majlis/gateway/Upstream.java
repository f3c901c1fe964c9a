package ma.majlis.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A stand-in for a service behind the gateway: it names itself in every answer, records what it was asked,
 * and serves any {@code …/stream} path as an event stream whose events the test emits one at a time.
 */
final class Upstream implements AutoCloseable {

    private final String name;

    private final DisposableServer server;

    private final Sinks.Many<String> events = Sinks.many().multicast().onBackpressureBuffer();

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    Upstream(String name) {
        this.name = name;
        this.server = HttpServer.create()
            .host("localhost")
            .port(0)
            .handle((request, response) -> {
                requests.add(Request.of(request));
                if (request.uri().contains("/stream")) {
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .sendString(events.asFlux())
                        .then();
                }
                return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .sendString(Mono.just(name + " " + request.method() + " " + request.uri()))
                    .then();
            })
            .bindNow();
    }

    String uri() {
        return "http://localhost:" + server.port();
    }

    /** Sends one server-sent event to the open stream. */
    void emit(long id, String eventName, String data) {
        events.emitNext("id:" + id + "\nevent:" + eventName + "\ndata:" + data + "\n\n", Sinks.EmitFailureHandler.FAIL_FAST);
    }

    List<Request> requests() {
        return requests;
    }


    @Override
    public void close() {
        server.disposeNow();
    }

    record Request(String method, String uri, String lastEventId) {
        static Request of(HttpServerRequest request) {
            String lastEventId = request.requestHeaders().get("Last-Event-ID");
            return new Request(request.method().name(), request.uri(), lastEventId == null ? "" : lastEventId);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
