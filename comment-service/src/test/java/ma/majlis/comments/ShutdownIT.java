package ma.majlis.comments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ma.majlis.infra.Topics;
import ma.majlis.testing.RealInfrastructure;
import ma.majlis.testing.TopicRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * comment-service as an operator runs it (its packaged jar, in a process of its own) is sent SIGTERM while a
 * reader's stream is open and comments are being posted: requests in flight finish, every comment acknowledged
 * with 201 is stored and published, the reader is told to reconnect, and the stream does not hold the shutdown up.
 */
class ShutdownIT {

    /** Far longer than a clean shutdown takes: a stream that held the server up would show. */
    static final String SHUTDOWN_TIMEOUT = "60s";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServiceJar jar;

    Process service;

    int port;

    @TempDir
    Path logs;

    @AfterEach
    void kill() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onSigtermFinishesRequestsInFlightEndsStreamsWithARetryHintAndPublishesEveryAcknowledgedComment()
        throws Exception {
        String databaseName = "comment_shutdown_" + UUID.randomUUID().toString().substring(0, 8);
        String kafka = RealInfrastructure.kafkaBootstrapServers();
        Path log = logs.resolve("comment-service.log");
        jar = ServiceJar.start(databaseName, Map.of("MAJLIS_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT,
            "MAJLIS_STREAM_RETRY", "1500ms"), log).awaitReady();
        service = jar.process();
        port = jar.port();
        DatabaseClient database = ServiceJar.database(databaseName);
        Articles.Announced article = Articles.publish(kafka, database, "day-95-shutdown", true);

        List<String> streamed = new CopyOnWriteArrayList<>();
        AtomicBoolean streamEnded = new AtomicBoolean();
        Disposable stream = WebClient.create("http://localhost:" + port).get()
            .uri("/api/articles/{slug}/comments/stream", article.slug())
            .accept(MediaType.TEXT_EVENT_STREAM)
            .retrieve()
            .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
            .doFinally(signal -> streamEnded.set(true))
            .subscribe(event -> streamed.add("comment:" + event.comment() + " retry:"
                + (event.retry() == null ? "" : event.retry().toMillis())), failure -> { });

        // Comments posted one after another from four writers, until the service stops answering.
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        List<Integer> otherAnswers = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            writers.add(CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    try {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/articles/" + article.slug() + "/comments"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"authorName\": \"Writer\", \"body\": \"Before the end\"}"))
                            .timeout(Duration.ofSeconds(30))
                            .build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 201) {
                            acknowledged.add(commentId(answer.body()));
                        }
                        else {
                            otherAnswers.add(answer.statusCode());
                        }
                    }
                    catch (IOException ex) {
                        // Refused or closed before an answer: never acknowledged, so nothing was promised.
                        if (service.isAlive() && !ex.getClass().getName().contains("Connect")) {
                            pause();
                        }
                        else {
                            return;
                        }
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 20);

        long signalled = System.nanoTime();
        int acknowledgedBefore = acknowledged.size();
        service.destroy();
        if (!service.waitFor(45, TimeUnit.SECONDS)) {
            Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(service.pid()), "Thread.print").redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("The service did not exit within 45 s of SIGTERM (" + acknowledgedBefore
                + " comments acknowledged before it, " + acknowledged.size() + " after; other answers " + otherAnswers
                + "; stream ended: " + streamEnded + ", received " + streamed + "). It said:\n"
                + Files.readString(log, StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("ionShutdownHook") || line.contains("netty-shutdown")
                        || line.contains("WARN") || line.contains("ERROR"))
                    .reduce("", (all, line) -> all + line + "\n")
                + "\nIts threads:\n" + threads);
        }
        Duration shutdown = Duration.ofNanos(System.nanoTime() - signalled);
        writing.set(false);
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        stream.dispose();

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(shutdown).as("the open stream did not hold the shutdown up for its %s timeout", SHUTDOWN_TIMEOUT)
            .isLessThan(Duration.ofSeconds(40));
        assertThat(output).contains("Graceful shutdown complete").doesNotContain("Graceful shutdown aborted");
        assertThat(otherAnswers).as("no request in flight was failed by the shutdown").isEmpty();
        assertThat(streamEnded).isTrue();
        assertThat(String.join("\n", streamed)).as("the reader was told to reconnect")
            .contains("comment:this instance is shutting down; reconnect retry:1500");

        Set<String> stored = Set.copyOf(database.sql("select id::text as id from comment")
            .map(row -> row.get("id", String.class)).all().collectList().block(Duration.ofSeconds(10)));
        assertThat(stored).as("every comment acknowledged with 201 is stored").containsAll(acknowledged);
        assertThat(output).contains("Stopped publishing the outbox to majlis.comments.v1");
        // A comment whose request was cut off by the shutdown may still have been stored, after the relay's last
        // drain; it was never acknowledged, and its event waits in the outbox for the next relay to send.
        Set<String> unpublished = Set.copyOf(database.sql("select payload->>'id' as id from outbox "
                + "where published_at is null").map(row -> row.get("id", String.class)).all().collectList()
            .block(Duration.ofSeconds(10)));
        String said = output.lines().filter(line -> line.contains("outbox") || line.contains("hutdown")
            || line.contains("WARN") || line.contains("ERROR")).reduce("", (all, line) -> all + line + "\n");
        assertThat(unpublished).as("acknowledged comments whose events were not sent; the service said:\n%s", said)
            .doesNotContainAnyElementsOf(acknowledged);
        List<String> published = TopicRecords.atLeast(kafka, Topics.COMMENTS,
                event -> article.slug().equals(event.getSubject()), stored.size() - unpublished.size()).stream()
            .map(record -> commentId(new String(record.value().getData().toBytes(), StandardCharsets.UTF_8)))
            .toList();
        assertThat(published).as("every acknowledged comment published before the service stopped")
            .containsAll(acknowledged);
        Set<String> accountedFor = new java.util.HashSet<>(published);
        accountedFor.addAll(unpublished);
        assertThat(accountedFor).as("every stored comment published, or waiting in the outbox").containsAll(stored);
    }

    private static String commentId(String body) {
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(body);
        assertThat(id.find()).as("a created comment's id in %s", body).isTrue();
        return id.group(1);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
