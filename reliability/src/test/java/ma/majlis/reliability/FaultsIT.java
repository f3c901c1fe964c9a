package ma.majlis.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.cloudevents.CloudEvent;
import ma.majlis.infra.Databases;
import ma.majlis.infra.Topics;
import ma.majlis.local.ServiceProcess;
import ma.majlis.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected for real into the running stack: the broker and the database stopped, a comment-service
 * instance killed, the outbox relay killed in the middle of a batch. Each test leaves the stack whole again.
 */
@DisplayName("Faults")
@ExtendWith(Report.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    final Stack stack = Stack.shared();

    final Api api = new Api(stack.gatewayUrl());

    @Test
    @Order(1)
    @DisplayName("Kafka stopped for 30 s while comments are posted 5 a second through the gateway, 3 readers streaming")
    void kafkaAway(Report.Finding finding) throws Exception {
        finding.checks("every POST answered 201 and is stored; once Kafka is back every event is published, each "
            + "`ce_id` once or repeated with the same id; every reader receives every comment once, in order");
        String slug = "reliability-kafka-away";
        api.publishArticle(stack.token("editor"), slug, "Kafka away");
        List<StreamReader> readers = readers(slug, 3);
        long away;
        long back;
        SteadyPoster poster = new SteadyPoster(api, slug, Duration.ofMillis(200), "kafka-away");
        try {
            Stack.pause(Duration.ofSeconds(5));
            stack.kafka.stop();
            away = poster.elapsedMillis();
            Stack.pause(Duration.ofSeconds(30));
            stack.kafka.start();
            back = poster.elapsedMillis();
            Stack.pause(Duration.ofSeconds(5));
        }
        finally {
            poster.close();
        }
        long backAt = System.nanoTime();
        List<SteadyPoster.Post> whileAway = poster.posts.stream()
            .filter(post -> post.sentAt() >= away && post.sentAt() < back).toList();
        finding.figure("POSTs", poster.posts.size())
            .figure("sent while Kafka was away", whileAway.size())
            .figure("answered 201", poster.acknowledged().size())
            .figure("slowest POST while away", whileAway.stream().mapToLong(post -> post.answer().took().toMillis())
                .max().orElse(0) + " ms");
        assertThat(poster.refused()).as("POSTs not acknowledged").isEmpty();
        assertThat(whileAway).hasSizeGreaterThan(100);

        List<SteadyPoster.Post> acknowledged = poster.acknowledged();
        assertThat(stored(acknowledged)).as("acknowledged comments stored").isEqualTo(acknowledged.size());

        Set<String> ids = acknowledged.stream().map(SteadyPoster.Post::id).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
            .until(() -> createdEvents(slug).keySet().containsAll(ids));
        finding.figure("every event seen on the topic", "within " + (System.nanoTime() - backAt) / 1_000_000 + " ms of the last POST");
        Map<String, List<ConsumerRecord<String, CloudEvent>>> events = createdEvents(slug);
        assertEachEventKeepsItsId(events, finding);

        List<Long> posted = acknowledged.stream().map(SteadyPoster.Post::seq).sorted().toList();
        awaitEveryReaderHas(readers, posted);
        finding.figure("reader reconnects", readers.stream().mapToInt(reader -> reader.reconnects.get()).sum());
        readers.forEach(StreamReader::close);
    }

    @Test
    @Order(2)
    @DisplayName("PostgreSQL stopped for 15 s while writes and reads of both services go through the gateway")
    void postgresAway(Report.Finding finding) throws Exception {
        finding.checks("every request answers 503 application/problem+json with Retry-After, none hangs and none is "
            + "a 500; once PostgreSQL is back every endpoint answers again without a service restart");
        String slug = Stack.ARTICLES.get(1);
        String marker = "written-while-the-database-was-away-" + UUID.randomUUID();
        java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>(
            "before the fault");
        Map<String, Supplier<Api.Answer>> requests = new LinkedHashMap<>();
        requests.put("POST comment", () -> api.comment(slug, "Amina", phase.get()));
        requests.put("GET discussion", () -> api.get("/api/articles/" + slug + "/comments"));
        requests.put("GET comment counts", () -> api.get("/api/comment-counts?articles=" + slug));
        requests.put("GET article list", () -> api.get("/api/articles"));
        requests.put("GET article", () -> api.get("/api/articles/" + slug));
        requests.put("POST subscription", () -> api.postJson("/api/articles/" + slug + "/subscriptions",
            Map.of("email", "amina@example.ma")));
        for (Map.Entry<String, Supplier<Api.Answer>> request : requests.entrySet()) {
            assertThat(request.getValue().get().status()).as(request.getKey() + " before the fault").isLessThan(300);
        }
        Map<String, Long> pids = pids();

        phase.set(marker);
        stack.stopPostgres();
        List<String> wrong = new ArrayList<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        long slowest = 0;
        int asked = 0;
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try {
            while (System.nanoTime() < end) {
                for (Map.Entry<String, Supplier<Api.Answer>> request : requests.entrySet()) {
                    Api.Answer answer = request.getValue().get();
                    asked++;
                    statuses.merge(answer.status(), 1, Integer::sum);
                    slowest = Math.max(slowest, answer.took().toMillis());
                    if (answer.status() != 503 || !answer.isProblem() || answer.body().contains("Exception")) {
                        wrong.add(request.getKey() + ": " + answer);
                    }
                }
                Stack.pause(Duration.ofMillis(250));
            }
        }
        finally {
            stack.startPostgres();
            phase.set("after the fault");
        }
        long backAt = System.nanoTime();
        finding.figure("requests while away", asked).figure("answers", statuses)
            .figure("slowest answer", slowest + " ms");
        assertThat(wrong).as("answers other than a 503 problem while PostgreSQL was away").isEmpty();
        assertThat(slowest).as("the slowest answer while away, in ms").isLessThan(10_000);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .until(() -> requests.values().stream().allMatch(request -> request.get().status() < 300));
        finding.figure("every endpoint answering again", (System.nanoTime() - backAt) / 1_000_000
            + " ms after PostgreSQL was back");
        assertThat(pids()).as("the same service processes, none restarted").isEqualTo(pids);
        assertThat(count(Databases.COMMENTS, "select count(*) from comment where body_html like '%" + marker + "%'"))
            .as("comments stored from the POSTs refused while PostgreSQL was away").isZero();
    }

    @Test
    @Order(3)
    @DisplayName("One of two comment-service instances killed (SIGKILL) while 20 readers stream through the gateway "
        + "and comments are posted 5 a second")
    void instanceKilled(Report.Finding finding) throws Exception {
        finding.checks("the readers of the killed instance reconnect through the gateway with Last-Event-ID to the "
            + "survivor; every reader receives every acknowledged comment once, in order; every 201 is stored");
        String slug = "reliability-instance-killed";
        api.publishArticle(stack.token("editor"), slug, "An instance killed");
        List<StreamReader> readers = readers(slug, 20);
        // The gateway serves the readers of an article from one stream of its own (its feed of the article), which
        // one of the two instances holds: that is the instance killed. The feeds of earlier tests' articles close a
        // few seconds after their readers left.
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge(stack.gateway, "majlis_gateway_stream_feeds") == 1
            && streamsOpen(stack.comments) + streamsOpen(stack.otherComments) == 1);
        ServiceProcess killed = streamsOpen(stack.comments) > 0 ? stack.comments : stack.otherComments;
        finding.figure("readers served from the gateway's feed before the kill",
            gauge(stack.gateway, "majlis_gateway_stream_feeds_readers") + " of " + readers.size());
        assertThat(streamsOpen(killed)).as("streams open at the instance killed").isPositive();
        long killedAt;
        SteadyPoster poster = new SteadyPoster(api, slug, Duration.ofMillis(200), "instance-killed");
        try {
            Stack.pause(Duration.ofSeconds(6));
            killed.kill();
            killedAt = poster.elapsedMillis();
            Stack.pause(Duration.ofSeconds(14));
        }
        finally {
            poster.close();
        }
        List<SteadyPoster.Post> acknowledged = poster.acknowledged();
        finding.figure("POSTs", poster.posts.size()).figure("answered 201", acknowledged.size())
            .figure("not acknowledged", poster.refused().stream().map(post -> post.answer().status() + "")
                .collect(Collectors.groupingBy(status -> status, Collectors.counting())));
        try {
            assertThat(poster.refused()).as("POSTs not acknowledged: only those in flight on the killed instance")
                .allSatisfy(post -> {
                    assertThat(post.answer().isProblem()).as(post.toString()).isTrue();
                    assertThat(post.sentAt()).as(post.toString()).isBetween(killedAt - 1_000, killedAt + 1_000);
                });
            assertThat(stored(acknowledged)).as("acknowledged comments stored").isEqualTo(acknowledged.size());

            List<Long> posted = acknowledged.stream().map(SteadyPoster.Post::seq).sorted().toList();
            awaitEveryReaderHas(readers, posted);
            int reconnected = (int) readers.stream().filter(reader -> reader.reconnects.get() > 0).count();
            finding.figure("readers that reconnected", reconnected + " of " + readers.size())
                .figure("stream requests refused while reconnecting",
                    readers.stream().mapToInt(reader -> reader.refusals.get()).sum());
            assertThat(reconnected).as("readers whose instance was killed").isPositive();
        }
        finally {
            readers.forEach(StreamReader::close);
            stack.restart(killed);
        }
    }

    @Test
    @Order(4)
    @DisplayName("The outbox relay killed (SIGKILL, both instances) while it drains a backlog of 1,500 events")
    void relayKilled(Report.Finding finding) throws Exception {
        finding.checks("after the restart every event is published; the records sent twice are at most those the "
            + "killed relay had sent but not yet marked, and carry the same ce_id, key and data");
        String slug = "reliability-relay-killed";
        api.publishArticle(stack.token("editor"), slug, "The relay killed");
        long before = topicEnd();
        stack.kafka.stop();
        List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(16);
            for (int i = 0; i < 1500; i++) {
                int number = i;
                writers.execute(() -> {
                    Api.Answer answer = api.comment(slug, "Writer " + number % 16, "backlog comment " + number);
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
                    ids.add(answer.json().get("comment").get("id").asString());
                });
            }
            writers.shutdown();
            assertThat(writers.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        }
        finally {
            stack.kafka.start();
        }
        assertThat(ids).hasSize(1500);
        // Kill both relays as soon as the first of these records reaches the broker: in the middle of a batch.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> topicEnd() > before);
        stack.comments.kill();
        stack.otherComments.kill();
        Stack.pause(Duration.ofSeconds(1));
        long sent = topicEnd() - before;
        int marked = count(Databases.COMMENTS, "select count(*) from outbox where published_at is not null "
            + "and subject = '" + slug + "'");
        finding.figure("records on the topic when killed", sent).figure("rows marked published when killed", marked);

        Thread restartOther = new Thread(() -> stack.restart(stack.otherComments));
        restartOther.start();
        stack.restart(stack.comments);
        restartOther.join();

        Set<String> expected = Set.copyOf(ids);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .until(() -> createdEvents(slug).keySet().containsAll(expected));
        Map<String, List<ConsumerRecord<String, CloudEvent>>> events = createdEvents(slug);
        assertEachEventKeepsItsId(events, finding);
        for (List<ConsumerRecord<String, CloudEvent>> copies : events.values()) {
            ConsumerRecord<String, CloudEvent> first = copies.get(0);
            assertThat(copies).allSatisfy(copy -> {
                assertThat(copy.key()).isEqualTo(first.key());
                assertThat(copy.value().getData().toBytes()).isEqualTo(first.value().getData().toBytes());
            });
        }
        long repeated = events.values().stream().mapToLong(copies -> copies.size() - 1).sum();
        assertThat(repeated).as("records sent twice").isLessThanOrEqualTo(Math.max(0, sent - marked));
    }

    /** How many records the comments topic holds (its one partition's end offset). */
    long topicEnd() {
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                 new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                     "bootstrap.servers", stack.kafka.bootstrapServers()),
                     new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                     new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(Topics.COMMENTS).stream()
                .map(info -> new org.apache.kafka.common.TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (ServiceProcess service : List.of(stack.content, stack.comments, stack.otherComments, stack.gateway)) {
            pids.put(service.name(), service.pid());
        }
        return pids;
    }

    private long streamsOpen(ServiceProcess service) {
        return gauge(service, "majlis_streams_open");
    }

    private long gauge(ServiceProcess service, String name) {
        return (long) Metrics.scrape(stack, service).entrySet().stream()
            .filter(series -> series.getKey().equals(name) || series.getKey().startsWith(name + "{"))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    private List<StreamReader> readers(String slug, int count) {
        List<StreamReader> readers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            readers.add(new StreamReader(stack.gatewayUrl(), slug, 0));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> readers.stream().allMatch(StreamReader::open));
        return readers;
    }

    static void awaitEveryReaderHas(List<StreamReader> readers, List<Long> posted) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> readers.stream().allMatch(reader -> reader.created().containsAll(posted)));
        for (StreamReader reader : readers) {
            List<Long> received = reader.created();
            assertThat(received).as("a reader's comments: each once").doesNotHaveDuplicates();
            assertThat(received).as("a reader's comments: in order").isSorted();
        }
    }

    /** The created events of {@code slug} on the comments topic, by comment id. */
    Map<String, List<ConsumerRecord<String, CloudEvent>>> createdEvents(String slug) {
        return TopicRecords.all(stack.kafka.bootstrapServers(), Topics.COMMENTS,
                event -> slug.equals(event.getSubject()) && event.getType().equals("ma.majlis.comment.created.v1"))
            .stream()
            .collect(Collectors.groupingBy(record -> Api.JSON.readTree(record.value().getData().toBytes())
                .get("id").asString(), LinkedHashMap::new, Collectors.toList()));
    }

    /** Each comment's event is published with one {@code ce_id}, however many times it was sent. */
    static void assertEachEventKeepsItsId(Map<String, List<ConsumerRecord<String, CloudEvent>>> events,
        Report.Finding finding) {
        int repeated = 0;
        for (Map.Entry<String, List<ConsumerRecord<String, CloudEvent>>> comment : events.entrySet()) {
            Set<String> ceIds = comment.getValue().stream().map(record -> record.value().getId())
                .collect(Collectors.toSet());
            assertThat(ceIds).as("the ce_id of comment " + comment.getKey() + "'s created event").hasSize(1);
            repeated += comment.getValue().size() - 1;
        }
        finding.figure("events published", events.size()).figure("repeated records (same ce_id)", repeated);
    }

    int stored(List<SteadyPoster.Post> posts) throws SQLException {
        try (Connection connection = stack.database(Databases.COMMENTS);
             PreparedStatement query = connection.prepareStatement("select count(*) from comment where id = any(?)")) {
            query.setArray(1, connection.createArrayOf("uuid",
                posts.stream().map(post -> UUID.fromString(post.id())).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    int count(String database, String sql) throws SQLException {
        try (Connection connection = stack.database(database);
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
