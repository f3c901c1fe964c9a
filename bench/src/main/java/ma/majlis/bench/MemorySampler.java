package ma.majlis.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Samples each service's resident set twice a second and keeps the highest seen since the last {@link #reset}. */
final class MemorySampler implements AutoCloseable {

    private final Map<String, Long> pids;

    private final Map<String, Double> peaks = new ConcurrentHashMap<>();

    private final Thread thread;

    private volatile boolean running = true;

    MemorySampler(Map<String, Long> pids) {
        this.pids = pids;
        thread = new Thread(this::sample, "bench-memory");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            pids.forEach((name, pid) -> StackProcess.rssMiB(pid).ifPresent(rss -> peaks.merge(name, rss, Math::max)));
            try {
                Thread.sleep(500);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    /** The highest resident set of each service since the last reset, in MiB; then starts again. */
    Map<String, Double> reset() {
        Map<String, Double> seen = new LinkedHashMap<>();
        pids.keySet().forEach(name -> {
            Double peak = peaks.remove(name);
            StackProcess.rssMiB(pids.get(name)).ifPresent(now -> seen.put(name, peak == null ? now : Math.max(peak, now)));
        });
        return seen;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
