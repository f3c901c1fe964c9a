package ma.majlis.comments.notify;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.r2dbc.spi.ConnectionFactory;
import ma.majlis.platform.database.PostgresNotifications;
import ma.majlis.platform.events.CloudEventRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends the deliveries the notifier recorded. Each wake-up (a delivery committed anywhere, a send finished here,
 * or the poll interval) claims due deliveries up to the free sending slots of each channel, one per subscriber at a
 * time, and starts them without waiting for each other: a slow receiver holds one slot, never the rest. A failed
 * attempt is retried with exponential backoff and jitter; after {@code max-attempts} the delivery is dead, its
 * webhook marked failing, and it is published to the dead-letter topic. Digests are gathered on their own clock.
 *
 * <p>Delivery is at least once: a send whose outcome could not be recorded (the process died, or PostgreSQL went
 * away between the send and the update) is sent again when its claim runs out. Receivers de-duplicate webhook calls
 * by {@code webhook-id}, the event's id.
 */
class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    static final String CHANNEL = "majlis_delivery";

    static final String DEAD_LETTER_TYPE = "ma.majlis.notification.dead-lettered.v1";

    private static final Duration MEASURE_EVERY = Duration.ofSeconds(10);

    private static final List<String> CHANNELS = List.of("mail", "webhook");

    private static final List<String> OUTCOMES = List.of("sent", "failed", "retried", "dead-lettered", "dropped");

    private final Deliveries deliveries;

    private final Senders senders;

    private final KafkaTemplate<String, String> kafka;

    private final NotificationSettings settings;

    private final @Nullable ConnectionFactory listenFactory;

    private final JsonMapper json;

    private final MeterRegistry meters;

    /** The deliveries this instance is sending, by id, with their subscribers; per channel. */
    private final Map<UUID, String> sendingMail = new ConcurrentHashMap<>();

    private final Map<UUID, String> sendingWebhooks = new ConcurrentHashMap<>();

    private final Sinks.Many<Long> wake = Sinks.many().multicast().directBestEffort();

    private final AtomicLong backlog = new AtomicLong();

    private final AtomicLong oldestMillis = new AtomicLong();

    private volatile Sinks.Empty<Void> stopping = Sinks.empty();

    private volatile Disposable.@Nullable Composite loops;

    Dispatcher(Deliveries deliveries, Senders senders, KafkaTemplate<String, String> kafka,
        NotificationSettings settings, @Nullable ConnectionFactory listenFactory, JsonMapper json,
        MeterRegistry meters) {
        this.deliveries = deliveries;
        this.senders = senders;
        this.kafka = kafka;
        this.settings = settings;
        this.listenFactory = listenFactory;
        this.json = json;
        this.meters = meters;
        Gauge.builder("majlis.notifications.pending", backlog, AtomicLong::get)
            .description("Deliveries waiting to be sent or retried").register(meters);
        TimeGauge.builder("majlis.notifications.oldest.pending.age", oldestMillis, TimeUnit.MILLISECONDS,
                AtomicLong::get)
            .description("How long the oldest delivery waiting to be sent has waited (0 when none waits)")
            .register(meters);
        // Every series from the start, at zero: a rate over a counter that appears later misses its first step.
        for (String channel : CHANNELS) {
            for (String outcome : OUTCOMES) {
                counter(channel, outcome);
            }
        }
    }

    private void count(String channel, String outcome) {
        counter(channel, outcome).increment();
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder("majlis.notifications.deliveries")
            .description("Delivery attempts and their outcomes: sent, failed, retried (a failed attempt to be tried "
                + "again), dead-lettered (given up), dropped (no longer owed)")
            .tag("channel", channel)
            .tag("outcome", outcome)
            .register(meters);
    }

    @Override
    public void start() {
        Sinks.Empty<Void> stop = Sinks.empty();
        stopping = stop;
        Duration poll = settings.pollInterval();
        Flux<Long> signals = Flux.merge(Flux.interval(Duration.ZERO, poll), wake.asFlux(),
            listenFactory == null ? Flux.empty() : PostgresNotifications.listen(listenFactory, CHANNEL));
        Disposable sending = signals
            .takeUntilOther(stop.asMono())
            .onBackpressureLatest()
            .concatMap(tick -> fill().onErrorResume(ex -> {
                log.warn("Could not look for deliveries to send (trying again within {}): {}", poll, ex.toString());
                return Mono.empty();
            }), 0)
            .subscribe();
        Duration digestCheck = settings.digestInterval().dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0
            ? settings.digestInterval().dividedBy(4) : Duration.ofMinutes(1);
        Disposable digests = Flux.interval(digestCheck, digestCheck)
            .takeUntilOther(stop.asMono())
            .onBackpressureDrop()
            .concatMap(tick -> deliveries.gatherDigests(settings.digestInterval())
                .doOnNext(made -> {
                    if (made > 0) {
                        log.debug("Gathered {} digests.", made);
                    }
                })
                .onErrorResume(ex -> {
                    log.warn("Could not gather digests (trying again in {}): {}", digestCheck, ex.toString());
                    return Mono.empty();
                }), 0)
            .subscribe();
        Disposable deadLetters = Flux.interval(poll, poll)
            .takeUntilOther(stop.asMono())
            .onBackpressureDrop()
            .concatMap(tick -> publishDeadLetters().onErrorResume(ex -> {
                log.warn("Could not publish dead deliveries to {} (trying again in {}): {}",
                    settings.deadLetterTopic(), poll, ex.toString());
                return Mono.empty();
            }), 0)
            .subscribe();
        Disposable measuring = Flux.interval(Duration.ZERO, MEASURE_EVERY)
            .onBackpressureDrop()
            .concatMap(tick -> deliveries.backlog()
                .doOnNext(measured -> {
                    backlog.set(measured[0]);
                    oldestMillis.set(measured[1]);
                })
                .onErrorResume(ex -> Mono.empty()), 0)
            .subscribe();
        loops = Disposables.composite(sending, digests, deadLetters, measuring);
        log.info("Sending notifications: up to {} mails and {} webhook calls at a time, {} attempts each.",
            settings.concurrency(), settings.concurrency(), settings.maxAttempts());
    }

    /** Claims and starts as many due deliveries as each channel has free slots. */
    private Mono<Void> fill() {
        return fill(false, sendingMail).then(fill(true, sendingWebhooks));
    }

    private Mono<Void> fill(boolean webhooks, Map<UUID, String> sending) {
        int free = settings.concurrency() - sending.size();
        if (free <= 0) {
            return Mono.empty();
        }
        List<String> busy = new ArrayList<>(sending.values());
        return deliveries.claim(webhooks, busy, free, settings.claimHold())
            .doOnNext(delivery -> {
                sending.put(delivery.id(), delivery.subscriber());
                deliver(delivery)
                    .doFinally(signal -> {
                        sending.remove(delivery.id());
                        // Sends finish on many threads at once: retry a wake-up that met another, rather than lose
                        // it (the subscriber's next delivery would then wait for the poll interval).
                        wake.emitNext(0L, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
                    })
                    .subscribe(null, ex -> log.warn("Could not record how delivery {} went (it is sent again when "
                        + "its claim runs out): {}", delivery.id(), ex.toString()));
            })
            .then();
    }

    private Mono<Void> deliver(Deliveries.Claimed delivery) {
        String channel = delivery.channel();
        return deliveries.outgoing(delivery)
            .flatMap(outgoing -> {
                if (outgoing instanceof Outgoing.Dropped dropped) {
                    return deliveries.dropped(delivery, dropped.reason())
                        .doOnSuccess(done -> count(channel, "dropped"));
                }
                Mono<Void> send = outgoing instanceof Outgoing.Mail mail ? senders.send(mail)
                    : senders.send((Outgoing.Call) outgoing);
                return send
                    .then(Mono.defer(() -> sent(delivery)))
                    .onErrorResume(ex -> !(ex instanceof RecordingFailed), ex -> failed(delivery, ex));
            });
    }

    /** Marks the delivery sent; a failure to do so is not a failed send. */
    private Mono<Void> sent(Deliveries.Claimed delivery) {
        count(delivery.channel(), "sent");
        return deliveries.sent(delivery).onErrorMap(RecordingFailed::new);
    }

    private Mono<Void> failed(Deliveries.Claimed delivery, Throwable failure) {
        String channel = delivery.channel();
        int attempt = delivery.attempts() + 1;
        String error = describe(failure);
        count(channel, "failed");
        if (attempt >= settings.maxAttempts()) {
            count(channel, "dead-lettered");
            log.warn("Gave up on {} delivery {} to {} after {} attempts ({}); it goes to {}{}.", channel,
                delivery.id(), delivery.subscriber(), attempt, error, settings.deadLetterTopic(),
                delivery.webhookId() != null ? " and the webhook is marked failing" : "");
            return deliveries.dead(delivery, error);
        }
        count(channel, "retried");
        Duration wait = backoff(attempt);
        log.info("Attempt {} of {} delivery {} to {} failed ({}); trying again in {} s.", attempt, channel,
            delivery.id(), delivery.subscriber(), error, wait.toSeconds());
        return deliveries.retryLater(delivery, error, deliveries.now().plus(wait));
    }

    /** The wait after the {@code attempt}-th failure: base × 2^(attempt-1), at most the maximum, less up to half. */
    Duration backoff(int attempt) {
        long base = settings.retryBase().toMillis();
        long exponential = attempt >= 30 ? Long.MAX_VALUE : base << Math.max(0, attempt - 1);
        long capped = Math.min(exponential < 0 ? Long.MAX_VALUE : exponential, settings.retryMax().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    /** Publishes dead deliveries to the dead-letter topic, then marks them published. */
    private Mono<Void> publishDeadLetters() {
        return deliveries.notDeadLettered(100)
            .concatMap(dead -> Mono.fromFuture(() -> kafka.send(deadLetter(dead)))
                .subscribeOn(Schedulers.boundedElastic())
                .then(deliveries.deadLettered(dead.id())))
            .then();
    }

    private ProducerRecord<String, String> deadLetter(Deliveries.Dead dead) {
        ObjectNode data = json.createObjectNode();
        data.put("deliveryId", dead.id().toString());
        data.put("eventId", dead.eventId());
        data.put("kind", dead.kind());
        data.put("channel", dead.kind().equals("webhook") ? "webhook" : "mail");
        data.put("subscriber", dead.subscriber());
        data.put("webhookId", dead.webhookId() == null ? null : dead.webhookId().toString());
        data.put("url", dead.url());
        data.put("commentId", dead.commentId() == null ? null : dead.commentId().toString());
        data.put("articleSlug", dead.articleSlug());
        data.put("attempts", dead.attempts());
        data.put("lastError", dead.lastError());
        data.put("createdAt", dead.createdAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        data.put("deadAt", dead.deadAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        data.put("payload", dead.payload());
        return CloudEventRecords.binary(settings.deadLetterTopic(), dead.subscriber(), json.writeValueAsString(data),
            dead.id().toString(), "/comment-service/notifier", DEAD_LETTER_TYPE, dead.deadAt(), dead.subscriber());
    }

    /**
     * Stops claiming, lets the sends under way finish (each is bounded by the send timeout) and records them, so
     * that nothing this instance started is sent twice by the next.
     */
    @Override
    public void stop() {
        Disposable.@Nullable Composite running = loops;
        if (running == null) {
            return;
        }
        stopping.tryEmitEmpty();
        long deadline = System.nanoTime() + settings.sendTimeout().plusSeconds(3).toNanos();
        while ((!sendingMail.isEmpty() || !sendingWebhooks.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = sendingMail.size() + sendingWebhooks.size();
        if (left > 0) {
            log.warn("{} deliveries were still being sent at shutdown; they are sent again once their claim runs "
                + "out.", left);
        }
        running.dispose();
        loops = null;
        log.info("Stopped sending notifications.");
    }

    @Override
    public boolean isRunning() {
        return loops != null;
    }

    /** Stops after the web server, with the outbox relay. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** Recording the outcome failed after the send succeeded: not a reason to count the send failed. */
    private static final class RecordingFailed extends RuntimeException {

        RecordingFailed(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
