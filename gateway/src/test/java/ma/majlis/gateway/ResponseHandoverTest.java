package ma.majlis.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response handed over is written after the handling of its request has ended, with what the handling set, and the
 * server's request lets go of the exchange. The heap this saves a reader of a feed is measured by the bench.
 */
class ResponseHandoverTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Like the web handler: a filter sets a header, the handler answers, and the handling closes the response. */
    private HttpHandler handling(boolean handOver) {
        return (request, response) -> Mono.defer(() -> {
                response.getHeaders().set("X-Filter", "set");
                Mono<Void> rest = Mono.defer(() -> {
                    events.add("rest begins");
                    return response.writeWith(Mono.just(text("the rest")));
                });
                return handOver ? ResponseHandover.handOver(response, () -> rest) : rest;
            })
            .then(Mono.defer(response::setComplete))
            .doOnSuccess(done -> events.add("handling ends"));
    }

    @Test
    void theRestIsWrittenOnceTheHandlingHasEndedWithTheHeadersItSet() {
        MockServerHttpRequest request = MockServerHttpRequest.get("/api/articles/a/comments/stream").build();
        MockServerHttpResponse response = new MockServerHttpResponse();

        StepVerifier.create(ResponseHandover.decorate(handling(true)).handle(request, response)).verifyComplete();

        assertThat(events).containsExactly("handling ends", "rest begins");
        assertThat(response.getHeaders().getFirst("X-Filter")).isEqualTo("set");
        // The handling's closing call did not end the response before its rest was written.
        StepVerifier.create(response.getBodyAsString()).expectNext("the rest").verifyComplete();
    }

    @Test
    void aRequestHandedOverNoLongerReachesTheExchangesAttributes() {
        MockServerHttpRequest request = MockServerHttpRequest.get("/api/articles/a/comments/stream").build();
        Map<String, Object> exchangeAttributes = Map.of("exchange", "attributes");
        request.setAttributesSupplier(() -> exchangeAttributes);

        StepVerifier.create(ResponseHandover.decorate(handling(true)).handle(request, new MockServerHttpResponse()))
            .verifyComplete();

        assertThat(request.getAttributes()).isEmpty();
    }

    @Test
    void aResponseNotHandedOverIsWrittenWithinTheHandlingAsBefore() {
        MockServerHttpRequest request = MockServerHttpRequest.get("/api/articles").build();
        MockServerHttpResponse response = new MockServerHttpResponse();
        request.setAttributesSupplier(() -> Map.of("exchange", "attributes"));

        StepVerifier.create(ResponseHandover.decorate(handling(false)).handle(request, response)).verifyComplete();

        assertThat(events).containsExactly("rest begins", "handling ends");
        StepVerifier.create(response.getBodyAsString()).expectNext("the rest").verifyComplete();
        assertThat(request.getAttributes()).containsEntry("exchange", "attributes");
    }

    @Test
    void aResponseTheGatewayDidNotDecorateHasItsRestWrittenWithinTheHandling() {
        ServerHttpResponse response = new MockServerHttpResponse();

        StepVerifier.create(handling(true).handle(MockServerHttpRequest.get("/").build(), response)).verifyComplete();

        assertThat(events).containsExactly("rest begins", "handling ends");
        StepVerifier.create(((MockServerHttpResponse) response).getBodyAsString()).expectNext("the rest")
            .verifyComplete();
    }

    private static DataBuffer text(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
