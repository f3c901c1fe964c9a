package ma.majlis.platform.pruning;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes rows that have served their purpose, once an hour: published outbox rows, answers kept for
 * Idempotency-Keys, ids of events already applied. Each rule names its table, the time column and how long rows are
 * kept; a failed run is logged and tried again at the next.
 */
public class TablePruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TablePruner.class);

    private static final Duration EVERY = Duration.ofHours(1);

    /**
     * Rows of {@code table} whose {@code timeColumn} is older than {@code keep} are deleted.
     * @param timeColumn a {@code timestamptz} column; rows where it is null are kept
     */
    public record Rule(String table, String timeColumn, Duration keep) {
    }

    private final DatabaseClient database;

    private final List<Rule> rules;

    private volatile @Nullable Disposable loop;

    public TablePruner(DatabaseClient database, List<Rule> rules) {
        this.database = database;
        this.rules = List.copyOf(rules);
    }

    /** Runs every rule once; emits how many rows were deleted. */
    public Mono<Long> prune() {
        return Flux.fromIterable(rules)
            .concatMap(rule -> database.sql("delete from " + rule.table() + " where " + rule.timeColumn()
                    + " < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) rule.keep().toSeconds())
                .fetch().rowsUpdated()
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info("Pruned {} rows of {} older than {}.", deleted, rule.table(), rule.keep());
                    }
                }))
            .reduce(0L, Long::sum);
    }

    @Override
    public void start() {
        loop = Flux.interval(Duration.ofMinutes(1), EVERY)
            .onBackpressureDrop()
            .concatMap(tick -> prune().onErrorResume(ex -> {
                log.warn("Could not prune old rows (will try again in {}): {}", EVERY, ex.getMessage());
                return Mono.empty();
            }), 0)
            .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = loop;
        if (running != null) {
            running.dispose();
        }
        loop = null;
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
