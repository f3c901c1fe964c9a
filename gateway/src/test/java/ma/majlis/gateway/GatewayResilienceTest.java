package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Timeouts, retries and circuit breakers on the API routes; none of them on the streams. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "MAJLIS_GATEWAY_RESPONSE_TIMEOUT=1s", "majlis.gateway.window=4", "majlis.gateway.minimum-calls=4",
    "majlis.gateway.open-for=2s" })
@AutoConfigureWebTestClient(timeout = "20s")
@ExtendWith(OutputCaptureExtension.class)
class GatewayResilienceTest {

    static Upstream content = new Upstream("content-service");

    static final Upstream comments = new Upstream("comment-service");

    static final int CONTENT_PORT = content.port();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("MAJLIS_CONTENT_SERVICE_URI", () -> "http://localhost:" + CONTENT_PORT);
        registry.add("MAJLIS_COMMENT_SERVICE_URI", comments::uri);
    }

    @AfterAll
    static void stopUpstreams() {
        content.close();
        comments.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    /** Each test starts with closed circuits, whatever the tests before it did to the services. */
    @BeforeEach
    void closeCircuits() {
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    }

    @Autowired
    StreamFeeds feeds;

    @LocalServerPort
    int port;

    @Test
    void answersASlowServiceWith504ProblemAfterTheResponseTimeout() {
        client.get().uri("/api/comments/slow").exchange()
            .expectStatus().isEqualTo(504)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/upstream-timeout")
            .jsonPath("$.instance").isEqualTo("/api/comments/slow");
    }

    @Test
    void takesManyConcurrentRequestsToOneServiceWithoutRefusingAnyOrOpeningItsCircuit() {
        // Resilience4j's default bulkhead let 25 calls through at once and refused the rest with 503, counted as
        // failures that then opened the circuit for everyone: the gateway has no such limit.
        int concurrent = 60;
        // A client pool as large as the load: the default one would send only a few at a time.
        WebClient many = WebClient.builder().baseUrl("http://localhost:" + port)
            .clientConnector(new ReactorClientHttpConnector(
                reactor.netty.http.client.HttpClient.create(ConnectionProvider.create("many", concurrent))))
            .build();
        List<Integer> statuses = Flux.range(0, concurrent)
            .flatMap(n -> many.get().uri("/api/comments/unhurried-" + n)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())),
                concurrent)
            .collectList()
            .block(Duration.ofSeconds(30));

        assertThat(statuses).hasSize(concurrent).containsOnly(200);
        assertThat(circuitBreakers.circuitBreaker("comment-service").getState())
            .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void repeatsAReadThatTheServiceCouldNotAnswerButNeverAWrite() {
        client.get().uri("/api/comments/flaky-read").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("comment-service GET /api/comments/flaky-read");
        assertThat(comments.requests()).filteredOn(request -> request.uri().equals("/api/comments/flaky-read"))
            .hasSize(2);

        client.post().uri("/api/comments/flaky-write").exchange().expectStatus().isEqualTo(503);
        assertThat(comments.requests()).filteredOn(request -> request.uri().equals("/api/comments/flaky-write"))
            .hasSize(1);
    }

    @Test
    void keepsAStreamOpenLongerThanEveryTimeout() {
        Flux<ServerSentEvent<String>> events = Upstream.events(WebClient.create("http://localhost:" + port).get()
            .uri("/api/articles/day-1/comments/stream")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve()
            .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { }));

        String uri = "/api/articles/day-1/comments/stream";
        StepVerifier.create(events)
            // The reader has joined the gateway's feed of the article, a stream from the service.
            .then(() -> await().atMost(Duration.ofSeconds(10)).until(() -> comments.openFeeds(uri) == 1
                && feeds.joinedReaders() == 1))
            .then(() -> comments.emit(1, "comment.created", "{\"seq\":1}"))
            .assertNext(event -> assertThat(event.id()).isEqualTo("1"))
            // Three times the response timeout of the API routes passes in silence.
            .expectNoEvent(Duration.ofSeconds(3))
            .then(() -> comments.emit(2, "comment.created", "{\"seq\":2}"))
            .assertNext(event -> assertThat(event.id()).isEqualTo("2"))
            .thenCancel()
            .verify(Duration.ofSeconds(15));
    }

    @Test
    void opensTheCircuitOnADeadServiceAndClosesItWhenTheServiceIsBack() {
        content.close();
        for (int i = 0; i < 4; i++) {
            client.get().uri("/api/articles").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("/problems/upstream-unavailable");
        }
        client.get().uri("/api/articles").exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
            .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                .contains("not sending it requests"));

        content = new Upstream("content-service", CONTENT_PORT);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            client.get().uri("/api/articles").exchange().expectStatus().isOk());
    }

    @Test
    void answersAnUnknownPathWithA404ProblemAndARequestId() {
        client.get().uri("/api/nothing-here").exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().exists("X-Request-Id")
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/not-found")
            .jsonPath("$.instance").isEqualTo("/api/nothing-here");
    }

    @Test
    void continuesTheCallersW3cTraceAndPassesItToTheService() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        client.get().uri("/api/comments/traced").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
            .exchange()
            .expectStatus().isOk()
            .expectBody().consumeWith(body -> { });
        assertThat(comments.requests()).filteredOn(request -> request.uri().equals("/api/comments/traced"))
            .singleElement()
            .extracting(Upstream.Request::traceparent).asString()
            .as("the same trace, with the gateway's own span as the parent")
            .matches("00-" + traceId + "-[0-9a-f]{16}-01")
            .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void logsWhatItAnsweredForAServiceWithTheRequestAndTraceIds(CapturedOutput output) {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        client.get().uri("/api/comments/slow").header("X-Request-Id", "reader-report-504")
            .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
            .exchange()
            .expectStatus().isEqualTo(504)
            .expectBody().consumeWith(body -> { });
        assertThat(output.getOut().lines().filter(line -> line.contains("Answered GET /api/comments/slow with 504")))
            .as("the gateway's log line for this request")
            .anySatisfy(line -> assertThat(line).contains("reader-report-504").contains(traceId));
    }

    @Test
    void passesTheRequestIdOnAndMakesOneWhenThereIsNone() {
        client.get().uri("/api/comments/with-id").header("X-Request-Id", "reader-report-42").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("X-Request-Id", "reader-report-42");
        assertThat(comments.requests()).filteredOn(request -> request.uri().equals("/api/comments/with-id"))
            .extracting(Upstream.Request::requestId).containsExactly("reader-report-42");

        client.get().uri("/api/comments/without-id").header("X-Request-Id", "not an id; <script>").exchange()
            .expectStatus().isOk()
            .expectHeader().valueMatches("X-Request-Id", "[0-9a-f-]{36}");
    }
}
