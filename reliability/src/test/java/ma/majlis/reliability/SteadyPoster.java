package ma.majlis.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Readers posting comments to one discussion at a steady rate, whatever happens to the stack meanwhile; keeps every
 * answer, so a test can check what was acknowledged against what was stored, published and streamed.
 */
final class SteadyPoster implements AutoCloseable {

    /** One POST and its answer; {@code sentAt} in milliseconds since the poster started. */
    record Post(int number, long sentAt, Api.Answer answer) {

        boolean acknowledged() {
            return answer.status() == 201;
        }

        String id() {
            return answer.json().get("comment").get("id").asString();
        }

        long seq() {
            return answer.json().get("comment").get("seq").asLong();
        }
    }

    final List<Post> posts = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

    /** The POSTs themselves: a slow answer never delays the next POST. */
    private final ExecutorService senders = Executors.newFixedThreadPool(64);

    private final long start = System.nanoTime();

    SteadyPoster(Api api, String slug, Duration every, String label) {
        long period = every.toMillis();
        int[] next = { 0 };
        clock.scheduleAtFixedRate(() -> {
            int number = next[0]++;
            senders.execute(() -> {
                long sentAt = elapsedMillis();
                Api.Answer answer = api.comment(slug, "Reader " + (number % 7), label + " comment " + number);
                posts.add(new Post(number, sentAt, answer));
            });
        }, 0, period, TimeUnit.MILLISECONDS);
    }

    long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    List<Post> acknowledged() {
        return posts.stream().filter(Post::acknowledged).toList();
    }

    List<Post> refused() {
        return posts.stream().filter(post -> !post.acknowledged()).toList();
    }

    /** Stops posting and waits for the requests under way to be answered. */
    @Override
    public void close() {
        clock.shutdown();
        try {
            clock.awaitTermination(5, TimeUnit.SECONDS);
            senders.shutdown();
            senders.awaitTermination(Api.CLIENT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
