package ma.majlis.comments.live;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live stream of a discussion: live changes, and resuming with Last-Event-ID without gap or duplicate. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class StreamTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        article = Articles.publish(database, "day-76-live", true);
    }

    @Test
    void aNewCommentArrivesOnAnOpenStreamWithItsPositionAsId() {
        try (StreamReader reader = new StreamReader(port, article.slug(), null)) {
            await().atMost(WAIT).until(reader::connected);
            assertThat(reader.received.get(0).retry()).isEqualTo(Duration.ofSeconds(3));

            Map<?, ?> posted = post("Live from Rabat");

            await().atMost(WAIT).until(() -> reader.changes().size() == 1);
            var event = reader.changes().get(0);
            assertThat(event.event()).isEqualTo("comment.created");
            assertThat(event.id()).isEqualTo(String.valueOf(((Map<?, ?>) posted.get("comment")).get("seq")));
            assertThat(event.data()).containsEntry("bodyHtml", "<p>Live from Rabat</p>")
                .containsEntry("authorName", "Reader");
        }
    }

    @Test
    void aReaderWhoReconnectsWithLastEventIdGetsEveryMissedChangeOnceInOrderWhileOthersWrite() {
        long lastSeen;
        try (StreamReader first = new StreamReader(port, article.slug(), null)) {
            await().atMost(WAIT).until(first::connected);
            post("Before the drop");
            await().atMost(WAIT).until(() -> first.changes().size() == 1);
            lastSeen = first.ids().get(0);
        }

        // Four writers post 60 comments; the reader comes back in the middle of it.
        int total = 60;
        var writing = Flux.range(0, total)
            .parallel(4)
            .runOn(Schedulers.boundedElastic())
            .doOnNext(i -> post("Written concurrently " + i))
            .sequential()
            .then()
            .toFuture();
        await().atMost(WAIT).until(() -> comments() >= 20);
        try (StreamReader back = new StreamReader(port, article.slug(), String.valueOf(lastSeen))) {
            writing.join();
            await().atMost(WAIT).until(() -> back.changes().size() >= total);
            // Give a duplicate, had there been one, the time to arrive.
            await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);

            assertThat(back.ids()).containsExactlyElementsOf(
                LongStream.rangeClosed(lastSeen + 1, lastSeen + total).boxed().toList());
        }
    }

    @Test
    void aReaderFarBehindIsCaughtUpPageByPageInOrderAndThenGetsLiveChanges() {
        Map<?, ?> first = post("The first of many versions");
        long firstSeq = ((Number) ((Map<?, ?>) first.get("comment")).get("seq")).longValue();
        // Well over two pages of history: the comment edited again and again, written as the service writes it.
        int edits = StreamHistory.PAGE * 2 + 234;
        database.sql("""
                insert into comment_event (article_id, seq, comment_id, type, payload, visible)
                select e.article_id, e.seq + g, e.comment_id, 'ma.majlis.comment.edited.v1',
                       jsonb_set(e.payload, '{seq}', to_jsonb(e.seq + g)), true
                  from comment_event e, generate_series(1, :edits) g
                 where e.article_id = :id and e.seq = :seq""")
            .bind("id", article.id()).bind("seq", firstSeq).bind("edits", edits)
            .then().block(Duration.ofSeconds(10));
        database.sql("update article set last_seq = last_seq + :edits where id = :id")
            .bind("id", article.id()).bind("edits", edits)
            .then().block(Duration.ofSeconds(10));

        try (StreamReader behind = new StreamReader(port, article.slug(), String.valueOf(firstSeq - 1))) {
            await().atMost(WAIT).until(() -> behind.changes().size() == edits + 1);
            assertThat(behind.ids()).containsExactlyElementsOf(range(firstSeq, firstSeq + edits));
            assertThat(behind.changes().subList(1, edits + 1)).allMatch(event -> event.event().equals("comment.edited"));

            post("Written once the reader had caught up");
            await().atMost(WAIT).until(() -> behind.changes().size() == edits + 2);
            assertThat(behind.ids().get(edits + 1)).isEqualTo(firstSeq + edits + 1);
        }
    }

    @Test
    void answersAnUnknownArticleAndABadLastEventIdWithProblems() {
        client.get().uri("/api/articles/no-such-day/comments/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/article-not-found");
        client.get().uri("/api/articles/{slug}/comments/stream", article.slug()).accept(MediaType.TEXT_EVENT_STREAM)
            .header("Last-Event-ID", "yesterday").exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("Last-Event-ID");
    }

    private Map<?, ?> post(String body) {
        return client.post().uri("/api/articles/{slug}/comments", article.slug())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("authorName", "Reader", "body", body))
            .exchange()
            .expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();
    }

    private long comments() {
        return database.sql("select count(*) as n from comment where article_id = :id").bind("id", article.id())
            .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
