package ma.majlis.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few calls the harness makes itself: publishing articles, seeding discussions, reading counts and metrics. */
final class Api {

    private static final Pattern METRIC = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)$",
        Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String body) {
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        }
        catch (IOException ex) {
            return new Answer(0, ex.toString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** Publishes an article with comments open, as an editor does with a Markdown page. */
    void publish(String baseUrl, String editorToken, String slug, String title) {
        Answer answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/articles"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + editorToken)
            .header("Content-Type", "text/markdown")
            .header("Content-Disposition", "inline; filename=\"" + slug + ".md\"")
            .POST(HttpRequest.BodyPublishers.ofString("---\ncomments: true\n---\n# " + title
                + "\n\nAn article the benchmark reads and writes.\n"))
            .build());
        if (answer.status() != 201) {
            throw new IllegalStateException("Could not publish " + slug + ": " + answer);
        }
    }

    /** Waits until the comment service knows the article (it hears of it through Kafka). */
    void awaitDiscussion(String baseUrl, String slug, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(baseUrl + "/api/articles/" + slug + "/comments?limit=1").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The discussion of " + slug + " did not open within " + timeout);
            }
            StackProcess.sleep(Duration.ofMillis(200));
        }
    }

    /** A comment's JSON body. */
    static String comment(String author, String text) {
        return "{\"authorName\":\"" + author + "\",\"body\":\"" + text + "\"}";
    }

    HttpRequest postRequest(String baseUrl, String slug, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/articles/" + slug + "/comments"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    /** Posts {@code count} comments to {@code slug}, {@code parallel} at a time; every one must be taken. */
    void seed(String baseUrl, String slug, int count, int parallel) {
        Semaphore slots = new Semaphore(parallel);
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.acquireUninterruptibly();
            String body = comment("Seed reader " + (i % 97), "Seeded comment " + i + " of " + slug
                + ": a *discussion* of some length, so that a page weighs what a real one does.");
            sent.add(http.sendAsync(postRequest(baseUrl, slug, body), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    slots.release();
                    if (error != null || response.statusCode() != 201) {
                        failed.incrementAndGet();
                        synchronized (failures) {
                            if (failures.size() < 3) {
                                failures.add(error != null ? error.toString()
                                    : response.statusCode() + " " + response.body());
                            }
                        }
                    }
                    return null;
                }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " seed comments for " + slug
                + " were refused, e.g. " + failures);
        }
    }

    /** The published comment count of {@code slug}. */
    long commentCount(String baseUrl, String slug) {
        Answer answer = get(baseUrl + "/api/comment-counts?articles=" + slug);
        Matcher count = Pattern.compile("\"" + Pattern.quote(slug) + "\":(\\d+)").matcher(answer.body());
        if (answer.status() != 200 || !count.find()) {
            throw new IllegalStateException("Could not read the comment count of " + slug + ": " + answer);
        }
        return Long.parseLong(count.group(1));
    }

    /** The sum of a Prometheus metric's series at {@code url}, or -1 when it is not there. */
    double metric(String url, String name) {
        Answer answer = get(url);
        double sum = 0;
        boolean found = false;
        Matcher line = METRIC.matcher(answer.body());
        while (line.find()) {
            if (line.group(1).equals(name)) {
                sum += Double.parseDouble(line.group(3).toLowerCase(Locale.ROOT));
                found = true;
            }
        }
        return found ? sum : -1;
    }
}
