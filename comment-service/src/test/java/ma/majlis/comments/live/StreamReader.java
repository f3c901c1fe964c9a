package ma.majlis.comments.live;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/** A browser's EventSource, as far as a test needs one: it keeps every event it receives. */
final class StreamReader implements AutoCloseable {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
        new ParameterizedTypeReference<>() { };

    final List<ServerSentEvent<Map<String, Object>>> received = new CopyOnWriteArrayList<>();

    private final Disposable connection;

    private volatile boolean ended;

    /** Opens the stream of {@code slug} on the instance at {@code port}, resuming after {@code lastEventId}. */
    StreamReader(int port, String slug, @Nullable String lastEventId) {
        WebClient.RequestHeadersSpec<?> request = WebClient.create("http://localhost:" + port).get()
            .uri("/api/articles/{slug}/comments/stream", slug)
            .accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        connection = request.retrieve().bodyToFlux(EVENT)
            .doFinally(signal -> ended = true)
            .subscribe(received::add, failure -> { });
    }

    /** Whether the server has said hello (the stream is registered for live changes). */
    boolean connected() {
        return received.stream().anyMatch(event -> event.comment() != null && event.comment().startsWith("discussion"));
    }

    /** The changes received, heartbeats and greetings left out. */
    List<ServerSentEvent<Map<String, Object>>> changes() {
        return received.stream().filter(event -> event.event() != null).toList();
    }

    /** The ids of the changes received, in order. */
    List<Long> ids() {
        return changes().stream().map(event -> Long.parseLong(event.id())).toList();
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
