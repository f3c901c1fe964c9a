package ma.majlis.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway in a real context, in front of two stand-in services on real sockets. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayRoutingTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    StreamFeeds feeds;

    @Autowired
    MeterRegistry meters;

    static final Upstream content = new Upstream("content-service");

    static final Upstream comments = new Upstream("comment-service");

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("MAJLIS_CONTENT_SERVICE_URI", content::uri);
        registry.add("MAJLIS_COMMENT_SERVICE_URI", comments::uri);
    }

    @AfterAll
    static void stopUpstreams() {
        content.close();
        comments.close();
    }

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0} {1} goes to {2}")
    @CsvSource({
        "GET,    /api/articles,                                      content-service",
        "GET,    /api/articles?series=ml-dl-morocco&limit=5,         content-service",
        "GET,    /api/articles/day-10-nurturing-ai-talent,           content-service",
        "PUT,    /api/articles/day-10-nurturing-ai-talent,           content-service",
        "DELETE, /api/articles/day-10-nurturing-ai-talent,           content-service",
        "POST,   /api/article-imports,                               content-service",
        "GET,    /api/articles/day-10-nurturing-ai-talent/comments,  comment-service",
        "POST,   /api/articles/day-10-nurturing-ai-talent/comments,  comment-service",
        "GET,    /api/articles/day-10-nurturing-ai-talent/comments.atom, comment-service",
        "GET,    /api/articles/day-10-nurturing-ai-talent/comments?sort=top&limit=50, comment-service",
        "PATCH,  /api/comments/0f8fad5b-d9cb-469f-a165-70867728950e,  comment-service",
        "DELETE, /api/comments/0f8fad5b-d9cb-469f-a165-70867728950e,  comment-service",
        "GET,    '/api/comment-counts?articles=a,b,c',                comment-service",
        "POST,   /api/comment-previews,                               comment-service",
        "POST,   /api/articles/day-10-nurturing-ai-talent/subscriptions, comment-service",
        "GET,    /api/subscriptions/confirm?token=abc,                comment-service",
        "POST,   /api/subscriptions/unsubscribe?token=abc,            comment-service",
    })
    void routesEachPathOfTheContractToTheServiceThatOwnsIt(String method, String path, String service) {
        String body = client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(body).isEqualTo(service + " " + method + " " + path);
    }

    @Test
    void aReadSlowerThanResilience4jsDefaultTimeLimitIsAnsweredWithinTheResponseTimeout() {
        // Three seconds, beyond the 1 s a circuit breaker's time limiter allows unless told otherwise: only the
        // response timeout (10 s here) bounds a call.
        client.get().uri("/api/comments/slow").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("comment-service slow");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "content-service", "comment-service" })
    void servesEachServicesOpenApiDocument(String service) {
        client.get().uri("/api/docs/" + service).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo(service + " GET /v3/api-docs");
    }

    @Test
    void answersUnknownPathsItselfWithoutBotheringTheServices() {
        int before = content.requests().size() + comments.requests().size();
        client.get().uri("/api/nothing-here").exchange().expectStatus().isNotFound();
        assertThat(content.requests().size() + comments.requests().size()).isEqualTo(before);
    }

    @Test
    void deliversAStreamEventByEventBeforeTheServiceSendsTheNext() {
        String stream = "/api/articles/day-10-nurturing-ai-talent/comments/stream";
        Flux<ServerSentEvent<String>> events = Upstream.events(WebClient.create("http://localhost:" + port)
            .get()
            .uri(stream)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .header("Last-Event-ID", "41")
            .retrieve()
            .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { }));

        // Each event is emitted upstream only after the client holds the one before: a gateway that buffered
        // the response would hold the first event back, and the verification would time out.
        StepVerifier.create(events)
            // The reader's stream, and the gateway's feed of the article, are open at the service.
            .then(() -> await().atMost(WAIT).until(() -> comments.openStreams(stream) == 1
                && comments.openFeeds(stream) == 1))
            .then(() -> comments.emit(42, "comment.created", "{\"seq\":42}"))
            .assertNext(event -> {
                assertThat(event.id()).isEqualTo("42");
                assertThat(event.event()).isEqualTo("comment.created");
                assertThat(event.data()).isEqualTo("{\"seq\":42}");
            })
            .then(() -> comments.emit(43, "comment.edited", "{\"seq\":43}"))
            .assertNext(event -> assertThat(event.id()).isEqualTo("43"))
            .then(() -> comments.emit(44, "comment.deleted", "{\"seq\":44}"))
            .assertNext(event -> assertThat(event.event()).isEqualTo("comment.deleted"))
            .thenCancel()
            .verify(Duration.ofSeconds(10));

        assertThat(comments.requests())
            .filteredOn(request -> request.uri().equals(stream))
            .extracting(Upstream.Request::lastEventId)
            // The reader's, passed on, and the gateway's feed of the article, which starts from now.
            .containsExactlyInAnyOrder("41", "");
    }

    @Test
    void aReaderWhoLeavesClosesItsStreamToTheService() {
        String uri = "/api/articles/day-12-leaving/comments/stream";
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        // Resuming from a position the gateway's feed is not at: passed through to the service.
        Disposable reader = streamReader(uri, "100").subscribe(received::add);
        try {
            await().atMost(WAIT).until(() -> comments.openStreams(uri) == 1);
            comments.emit(101, "comment.created", "{\"seq\":101}");
            await().atMost(WAIT).until(() -> received.size() == 1);
        }
        finally {
            reader.dispose();
        }
        await().atMost(WAIT).until(() -> comments.openStreams(uri) == 0);
    }

    @Test
    void aStreamTheServiceEndsEndsForTheReaderAfterEveryEventBeforeTheEnd() {
        String uri = "/api/articles/day-13-ending/comments/stream";
        StepVerifier.create(streamReader(uri, "100"))
            .then(() -> await().atMost(WAIT).until(() -> comments.openStreams(uri) == 1))
            .then(() -> {
                comments.emit(108, "comment.created", "{\"seq\":108}");
                comments.emit(109, "comment.created", "{\"seq\":109}");
                comments.endStreams();
            })
            .assertNext(event -> assertThat(event.id()).isEqualTo("108"))
            .assertNext(event -> assertThat(event.id()).isEqualTo("109"))
            .verifyComplete();
    }

    @Test
    void readersOfAnArticleShareTheGatewaysOneStreamFromTheServiceUnlessTheyResumeFromElsewhere() {
        String uri = "/api/articles/day-14-shared/comments/stream";
        Map<String, List<ServerSentEvent<String>>> received = new ConcurrentHashMap<>();
        List<String> ended = new CopyOnWriteArrayList<>();
        List<Disposable> readers = new CopyOnWriteArrayList<>();
        java.util.function.BiConsumer<String, String> open = (name, lastEventId) -> {
            List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
            received.put(name, events);
            readers.add(streamReader(uri, lastEventId).subscribe(events::add, failure -> { }, () -> ended.add(name)));
        };
        try {
            // The first reader opens the gateway's feed of the article, and joins it.
            open.accept("first", null);
            await().atMost(WAIT).until(() -> comments.openFeeds(uri) == 1 && feeds.joinedReaders() == 1);
            comments.emit(1, "comment.created", "{\"seq\":1}");
            await().atMost(WAIT).until(() -> received.get("first").size() == 1);

            // Readers from now on, and one who has what the feed has, join it too.
            open.accept("second", null);
            open.accept("third", null);
            open.accept("resuming", "1");
            // One who is behind the feed is passed through, and the service catches it up.
            open.accept("behind", "0");
            await().atMost(WAIT).until(() -> feeds.joinedReaders() == 4 && comments.openStreams(uri) == 1);
            assertThat(comments.requests()).filteredOn(request -> request.uri().equals(uri))
                .extracting(Upstream.Request::lastEventId)
                .containsExactlyInAnyOrder("", "0");
            // Operators see the feed and the readers it serves.
            // (Other tests' feeds close a few seconds after their readers left: the two agree once they have.)
            await().atMost(WAIT).until(() -> meters.get("majlis.gateway.stream.feeds").gauge().value()
                == comments.openFeeds());
            assertThat(meters.get("majlis.gateway.stream.feeds.readers").gauge().value()).isEqualTo(4);

            comments.emit(2, "comment.created", "{\"seq\":2}");
            comments.emit(3, "comment.edited", "{\"seq\":3}");
            for (String name : List.of("first", "second", "third", "resuming", "behind")) {
                await().atMost(WAIT).until(() -> received.get(name).size() >= (name.equals("first") ? 3 : 2));
            }
            assertThat(received.get("first")).extracting(ServerSentEvent::id).containsExactly("1", "2", "3");
            for (String name : List.of("second", "third", "resuming")) {
                assertThat(received.get(name)).extracting(ServerSentEvent::id).as(name).containsExactly("2", "3");
            }
            assertThat(comments.openFeeds(uri)).isEqualTo(1);

            // The service ends its streams (it is shutting down): every reader's ends, and browsers reconnect.
            comments.endStreams();
            await().atMost(WAIT).until(() -> ended.size() == 5);
        }
        finally {
            readers.forEach(Disposable::dispose);
        }
    }

    @Test
    void readersWaitForAFeedThatIsSlowToBeginAndJoinIt() {
        // As at a gateway just started, when a crowd of readers delays the feed's own request by seconds.
        String uri = "/api/articles/day-15-slow-feed/comments/stream";
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        comments.feedsBeginAfter(Duration.ofSeconds(3));
        Disposable reader = streamReader(uri, null).subscribe(received::add);
        try {
            await().atMost(WAIT).until(() -> feeds.joinedReaders() == 1);
            assertThat(comments.openStreams(uri)).as("readers piped through").isZero();
            assertThat(comments.openFeeds(uri)).isEqualTo(1);

            comments.emit(1, "comment.created", "{\"seq\":1}");
            await().atMost(WAIT).until(() -> received.size() == 1);
            assertThat(received).extracting(ServerSentEvent::id).containsExactly("1");
        }
        finally {
            reader.dispose();
            comments.feedsBeginAfter(Duration.ZERO);
        }
    }

    @Test
    void aFeedThatDoesNotBeginWithinTheResponseTimeoutIsGivenUpAndItsReadersArePipedThrough() {
        String uri = "/api/articles/day-16-stalled-feed/comments/stream";
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        comments.feedsBeginAfter(Duration.ofMinutes(1));
        Disposable reader = streamReader(uri, null).subscribe(received::add);
        try {
            // The gateway's response timeout is 10 s; the reader has waited for the feed that long, and no longer.
            await().atMost(WAIT.plusSeconds(5)).until(() -> comments.openStreams(uri) == 1);
            await().atMost(WAIT).until(() -> comments.openFeeds(uri) == 0);
            assertThat(feeds.joinedReaders()).isZero();

            comments.emit(1, "comment.created", "{\"seq\":1}");
            await().atMost(WAIT).until(() -> received.size() == 1);
        }
        finally {
            reader.dispose();
            comments.feedsBeginAfter(Duration.ZERO);
        }
    }

    private Flux<ServerSentEvent<String>> streamReader() {
        return streamReader("/api/articles/day-12-passing-through/comments/stream", null);
    }

    private Flux<ServerSentEvent<String>> streamReader(String uri, String lastEventId) {
        return Upstream.events(WebClient.create("http://localhost:" + port)
            .get()
            .uri(uri)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .headers(headers -> {
                if (lastEventId != null) {
                    headers.set("Last-Event-ID", lastEventId);
                }
            })
            .retrieve()
            .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { }));
    }

    @LocalManagementPort
    int managementPort;

    @Test
    void reportsItsHealthAndMetricsOnItsManagementPortOnly() {
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort)
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        management.get().uri("/actuator/health/readiness").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/api/articles").exchange().expectStatus().isOk().expectBody().consumeWith(body -> { });
        management.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).value(metrics -> assertThat(metrics)
                .contains("spring_cloud_gateway_requests_seconds_count")
                .contains("http_server_requests_seconds_count"));

        client.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound()
            .expectBody().consumeWith(body -> { });
        client.get().uri("/actuator/health").exchange().expectStatus().isNotFound()
            .expectBody().consumeWith(body -> { });
    }
}
