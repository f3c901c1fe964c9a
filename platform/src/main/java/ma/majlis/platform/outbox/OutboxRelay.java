package ma.majlis.platform.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.ConnectionFactory;
import ma.majlis.platform.database.PostgresNotifications;
import ma.majlis.platform.events.CloudEventRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes the outbox to Kafka as CloudEvents in binary mode: the event's attributes as {@code ce_*} headers,
 * its data as the JSON value, its aggregate id as the key.
 *
 * <p>Each batch is read in position order under {@code for update skip locked}, sent, and marked published in
 * the same transaction once the broker has acknowledged every record; a failure marks nothing, so the batch is
 * sent again later with the same ids (delivery is at least once, consumers de-duplicate by {@code ce_id}).
 * Several instances can run: each row is locked by one of them at a time.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final KafkaTemplate<String, String> kafka;

    private final OutboxSettings settings;

    /** The channel the {@code outbox_notify} trigger notifies. */
    static final String CHANNEL = "majlis_outbox";

    /** The advisory lock that lets one relay send at a time; any number unique to the relay would do. */
    private static final long RELAY_LOCK = 0x6d616a6c6973L;

    private final @Nullable ConnectionFactory listenFactory;

    /** How often the backlog (unpublished rows, and the age of the oldest) is measured. */
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(10);

    /** How long {@link #stop()} lets a batch being sent finish before it gives up on it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private volatile @Nullable Disposable loop;

    private volatile Sinks.Empty<Void> stopping = Sinks.empty();

    private volatile CountDownLatch stopped = new CountDownLatch(0);

    private volatile @Nullable Disposable backlogLoop;

    private final Counter published;

    private final AtomicLong backlogRows = new AtomicLong();

    private final AtomicLong oldestAgeMillis = new AtomicLong();

    /**
     * @param listenFactory where the relay opens its own connection to listen for notifications; null to poll only
     * @param meters where it reports what it published and what waits: {@code majlis.events.published},
     * {@code majlis.outbox.backlog} and {@code majlis.outbox.oldest.age}, each tagged with the topic
     */
    public OutboxRelay(DatabaseClient database, TransactionalOperator transaction, KafkaTemplate<String, String> kafka,
        OutboxSettings settings, @Nullable ConnectionFactory listenFactory, MeterRegistry meters) {
        this.listenFactory = listenFactory;
        this.database = database;
        this.transaction = transaction;
        this.kafka = kafka;
        this.settings = settings;
        this.published = Counter.builder("majlis.events.published")
            .description("Events the outbox relay published to Kafka (acknowledged by the broker)")
            .tag("topic", settings.topic())
            .register(meters);
        Gauge.builder("majlis.outbox.backlog", backlogRows, AtomicLong::get)
            .description("Outbox rows not yet published")
            .tag("topic", settings.topic())
            .register(meters);
        TimeGauge.builder("majlis.outbox.oldest.age", oldestAgeMillis, TimeUnit.MILLISECONDS, AtomicLong::get)
            .description("How long the oldest unpublished outbox row has waited (0 when none waits)")
            .tag("topic", settings.topic())
            .register(meters);
    }

    private record Row(UUID id, String key, String type, String payload, String subject, OffsetDateTime time) {
    }

    /**
     * Sends one batch; emits how many events it published. One relay sends at a time, across instances (a
     * transaction-scoped advisory lock), so events leave in the order they were written.
     */
    public Mono<Integer> publishBatch() {
        return database.sql("select pg_try_advisory_xact_lock(:lock) as mine")
            .bind("lock", RELAY_LOCK)
            .map((row, meta) -> Boolean.TRUE.equals(row.get("mine", Boolean.class)))
            .one()
            .flatMap(mine -> mine ? sendBatch() : Mono.just(0))
            .as(transaction::transactional);
    }

    private Mono<Integer> sendBatch() {
        return database.sql("""
                select id, aggregateid, type, payload, subject, occurred_at
                  from outbox
                 where published_at is null
                 order by position
                 limit :batch
                   for update skip locked""")
            .bind("batch", settings.batchSize())
            .map((row, meta) -> new Row(row.get("id", UUID.class), row.get("aggregateid", String.class),
                row.get("type", String.class), row.get("payload", Json.class).asString(),
                row.get("subject", String.class), row.get("occurred_at", OffsetDateTime.class)))
            .all()
            .collectList()
            .flatMap(this::sendAndMark);
    }

    private Mono<Integer> sendAndMark(List<Row> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0);
        }
        // Handing a record to the producer may block while it waits for the broker's metadata: off the event loop.
        return Mono.fromCallable(() -> sendAll(rows))
            .subscribeOn(Schedulers.boundedElastic())
            .flatMap(Mono::fromFuture)
            .then(database.sql("update outbox set published_at = now() where id = any(:ids)")
                .bind("ids", rows.stream().map(Row::id).toArray(UUID[]::new))
                .then())
            .doOnSuccess(marked -> published.increment(rows.size()))
            .thenReturn(rows.size());
    }

    /**
     * Hands the whole batch to the producer in order before waiting for any acknowledgement, so that it goes to the
     * broker in a few requests: waiting for each record's acknowledgement before sending the next held the relay to
     * one record per producer linger (5 ms), about 200 a second. The idempotent producer keeps the order within each
     * partition, retries included; a batch with a record that failed is sent again whole, so a consumer may see
     * some of its events twice (it de-duplicates by {@code ce_id}).
     */
    private CompletableFuture<Void> sendAll(List<Row> rows) {
        CompletableFuture<?>[] sent = new CompletableFuture<?>[rows.size()];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = kafka.send(record(rows.get(i)));
        }
        return CompletableFuture.allOf(sent);
    }

    private ProducerRecord<String, String> record(Row row) {
        return CloudEventRecords.binary(settings.topic(), row.key(), row.payload(), row.id().toString(),
            settings.source(), row.type(), row.time(), row.subject());
    }

    @Override
    public void start() {
        Duration interval = settings.pollInterval();
        Sinks.Empty<Void> stop = Sinks.empty();
        CountDownLatch done = new CountDownLatch(1);
        stopping = stop;
        stopped = done;
        // A wake-up that comes while the relay drains is kept (only the latest), so a change committed during a
        // drain is sent right after it. On stop, no new drain begins, and the one under way finishes.
        loop = Flux.merge(Flux.interval(interval, interval), notifications())
            .takeUntilOther(stop.asMono())
            .onBackpressureLatest()
            .concatMap(tick -> drain().onErrorResume(ex -> {
                log.warn("Could not publish the outbox to {} (will retry in {}): {}", settings.topic(), interval,
                    ex.getMessage());
                return Mono.empty();
            }), 0)
            .doFinally(signal -> done.countDown())
            .subscribe();
        backlogLoop = Flux.interval(Duration.ZERO, BACKLOG_EVERY)
            .onBackpressureDrop()
            .concatMap(tick -> measureBacklog().onErrorResume(ex -> Mono.empty()), 0)
            .subscribe();
    }

    /** Counts the unpublished rows and the age of the oldest, for the backlog gauges. */
    Mono<Void> measureBacklog() {
        return database.sql("""
                select count(*) as waiting,
                       coalesce(extract(epoch from now() - min(occurred_at)) * 1000, 0)::bigint as oldest_ms
                  from outbox
                 where published_at is null""")
            .map((row, meta) -> {
                backlogRows.set(row.get("waiting", Long.class));
                oldestAgeMillis.set(Math.max(0, row.get("oldest_ms", Long.class)));
                return 1;
            })
            .one()
            .then();
    }

    /**
     * A signal each time a transaction that wrote to the outbox commits (the {@code outbox_notify} trigger), on a
     * connection of its own outside the pool. When PostgreSQL goes away the relay listens again once it is back;
     * meanwhile the poll interval still drives it.
     */
    private Flux<Long> notifications() {
        ConnectionFactory factory = listenFactory;
        return factory == null ? Flux.empty() : PostgresNotifications.listen(factory, CHANNEL);
    }

    /** Publishes batch after batch until the outbox is empty. */
    private Mono<Integer> drain() {
        return publishBatch()
            .expand(published -> published < settings.batchSize() ? Mono.empty() : publishBatch())
            .reduce(0, Integer::sum);
    }

    /**
     * Stops the relay cleanly: no new batch starts, the one being sent finishes, and what the last requests wrote
     * is sent in a final drain, all within {@link #STOP_GRACE}; whatever is left (Kafka is away) stays in the
     * outbox for the next relay to send. The relay stops after the web server has finished its requests in flight
     * (see {@link #getPhase()}), so their events are among those sent.
     */
    @Override
    public void stop() {
        Disposable running = loop;
        if (running == null) {
            return;
        }
        stopping.tryEmitEmpty();
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            if (stopped.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                Integer sent = drain().block(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                log.info("Stopped publishing the outbox to {} ({} sent in the final drain).", settings.topic(), sent);
            }
            else {
                log.warn("The outbox relay for {} did not finish its batch within {}; what it had not marked "
                    + "published is sent again by the next relay to start.", settings.topic(), STOP_GRACE);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.warn("The final drain of the outbox to {} did not complete ({}); the next relay to start sends what "
                + "is left.", settings.topic(), ex.toString());
        }
        running.dispose();
        loop = null;
        Disposable measuring = backlogLoop;
        if (measuring != null) {
            measuring.dispose();
        }
        backlogLoop = null;
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }

    /**
     * Stops after the web server (whose graceful shutdown runs at {@code DEFAULT_PHASE - 1024} and stops at
     * {@code DEFAULT_PHASE - 2048}), so that requests in flight have written their events before the last drain.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
