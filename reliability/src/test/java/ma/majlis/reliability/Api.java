package ma.majlis.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/** A client of the gateway, as a browser or a script uses it: every answer with its status, type and time. */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** How long a client waits for any answer; a request that outlives it counts as hanging. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    /** One answer; {@code status} 0 when the request could not be sent or timed out. */
    record Answer(int status, String contentType, String body, Duration took) {

        boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " in " + took.toMillis() + " ms: "
                + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    Api(String base) {
        this.base = base;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer postJson(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Posts a comment as a reader does; the body carries {@code text} so the comment can be told apart. */
    Answer comment(String slug, String author, String text) {
        return postJson("/api/articles/" + slug + "/comments", Map.of("authorName", author, "body", text));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(CLIENT_TIMEOUT);
    }

    Answer send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), Duration.ofNanos(System.nanoTime() - start));
        }
        catch (HttpTimeoutException ex) {
            return new Answer(0, "", "no answer within " + CLIENT_TIMEOUT.toSeconds() + " s",
                Duration.ofNanos(System.nanoTime() - start));
        }
        catch (IOException ex) {
            return new Answer(0, "", "could not send: " + ex, Duration.ofNanos(System.nanoTime() - start));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /** Publishes an article of the suite's own, open for comments, and waits until the discussion serves it. */
    void publishArticle(String editorToken, String slug, String title) {
        Answer posted = send(request("/api/articles")
            .header("Authorization", "Bearer " + editorToken)
            .header("Content-Type", "text/markdown")
            .header("Content-Disposition", "inline; filename=\"" + slug + ".md\"")
            .POST(HttpRequest.BodyPublishers.ofString("---\ncomments: true\n---\n# " + title + "\n\nA page for the "
                + "reliability suite.\n")));
        if (posted.status() != 201) {
            throw new AssertionError("Could not publish " + slug + ": " + posted);
        }
        // Up to Kafka's session timeout (45 s) after an instance was killed: the group waits that long for the dead
        // member before its partitions of the articles topic are read again.
        await().atMost(Duration.ofSeconds(90)).until(() -> get("/api/articles/" + slug + "/comments").status() == 200);
    }
}
