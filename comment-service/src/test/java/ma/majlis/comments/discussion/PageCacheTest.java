package ma.majlis.comments.discussion;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages of a discussion are served again from memory while their article is unchanged, and read afresh after any
 * change a reader could see, made on this instance or on another.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class PageCacheTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Environment environment;

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        article = Articles.publish(database, "day-81-pages", true);
    }

    @Test
    void aPageIsServedFromMemoryUntilItsArticleChangesOnAnyInstance() {
        String id = post("As first written", null);
        assertThat(firstBody()).isEqualTo("<p>As first written</p>");
        double hits = gets("hit");

        // Changed under the service's feet, without the article's version: the page read before is served.
        execute("update comment set body_html = '<p>Changed unannounced</p>' where id = cast('" + id + "' as uuid)");
        assertThat(firstBody()).as("the page as kept").isEqualTo("<p>As first written</p>");
        assertThat(gets("hit")).isEqualTo(hits + 1);

        // Another instance's change takes the article's next stream position, in the same database.
        execute("update article set last_seq = last_seq + 1 where id = cast('" + article.id() + "' as uuid)");
        assertThat(firstBody()).as("the page after the article changed").isEqualTo("<p>Changed unannounced</p>");
    }

    @Test
    void everyChangeAReaderCanSeeIsInTheNextPageRead() {
        String quiet = post("Quiet", null);
        page("oldest");
        page("top");

        String liked = post("Liked", null);
        assertThat(bodies(page("oldest"))).containsExactly("<p>Quiet</p>", "<p>Liked</p>");

        vote(liked, "voter-cccc-3333", 1);
        Map<?, ?> top = page("top");
        assertThat(bodies(top)).as("top, after the vote").containsExactly("<p>Liked</p>", "<p>Quiet</p>");
        assertThat(item(top, 0).get("score")).isEqualTo(1);
        vote(liked, "voter-cccc-3333", 0);
        assertThat(item(page("top"), 0).get("score")).as("the vote taken back").isEqualTo(0);

        String reply = post("A reply", quiet);
        Map<?, ?> threaded = page("oldest");
        assertThat(item(threaded, 0).get("replyCount")).isEqualTo(1);
        assertThat((List<?>) item(threaded, 0).get("replies")).hasSize(1);

        client.patch().uri("/api/comments/{id}", reply).header(HttpHeaders.AUTHORIZATION, moderator())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("body", "A better reply")).exchange()
            .expectStatus().isOk();
        Map<?, ?> firstReply = (Map<?, ?>) ((List<?>) item(page("oldest"), 0).get("replies")).get(0);
        assertThat(firstReply.get("bodyHtml")).isEqualTo("<p>A better reply</p>");

        client.patch().uri("/api/comments/{id}", liked).header(HttpHeaders.AUTHORIZATION, moderator())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "hidden")).exchange()
            .expectStatus().isOk();
        assertThat(bodies(page("oldest"))).as("after hiding").containsExactly("<p>Quiet</p>");

        client.delete().uri("/api/comments/{id}", quiet).header(HttpHeaders.AUTHORIZATION, moderator()).exchange()
            .expectStatus().isNoContent();
        assertThat(item(page("oldest"), 0).get("status")).as("after deleting").isEqualTo("deleted");
    }

    @Test
    void aPageReadAtAnOlderVersionDoesNotReplaceOneReadAtANewer() {
        PageCache cache = new PageCache(settings(DataSize.ofMegabytes(1)), new SimpleMeterRegistry());
        PageCache.Key key = new PageCache.Key(UUID.randomUUID(), "day-82", CommentCursor.Sort.OLDEST, null, 50);
        AtomicInteger reads = new AtomicInteger();
        CommentPage newer = new CommentPage(List.of(view("newer")), null, 2);
        CommentPage older = new CommentPage(List.of(view("older")), null, 1);

        cache.page(key, new PageCache.Version(2, 0), () -> counted(reads, newer)).block();
        // A slower reader that found the article one change earlier finishes last.
        cache.page(key, new PageCache.Version(1, 0), () -> counted(reads, older)).block();

        assertThat(cache.page(key, new PageCache.Version(2, 0), () -> counted(reads, older)).block()).isSameAs(newer);
        assertThat(reads).hasValue(2);
    }

    @Test
    void withNoRoomForPagesEveryPageIsRead() {
        PageCache cache = new PageCache(settings(DataSize.ofBytes(0)), new SimpleMeterRegistry());
        PageCache.Key key = new PageCache.Key(UUID.randomUUID(), "day-83", CommentCursor.Sort.OLDEST, null, 50);
        AtomicInteger reads = new AtomicInteger();
        CommentPage page = new CommentPage(List.of(view("only")), null, 1);
        for (int i = 0; i < 3; i++) {
            cache.page(key, new PageCache.Version(1, 0), () -> counted(reads, page)).block();
        }
        assertThat(reads).hasValue(3);
    }

    static CommentSettings settings(DataSize pageCache) {
        return new CommentSettings(5, 10_000, 80, Duration.ofMinutes(15), "", false, 3, pageCache);
    }

    static CommentView view(String body) {
        return new CommentView(UUID.randomUUID(), "day-82", null, 1, 0, "Author", body, "published",
            OffsetDateTime.now(), null, 0, 0, List.of());
    }

    static Mono<CommentPage> counted(AtomicInteger reads, CommentPage page) {
        return Mono.fromSupplier(() -> {
            reads.incrementAndGet();
            return page;
        });
    }

    String moderator() {
        return ma.majlis.comments.Tokens.bearer(environment, "moderator@majlis", "moderator");
    }

    double gets(String result) {
        return meters.get("cache.gets").tag("cache", "discussion-pages").tag("result", result).functionCounter()
            .count();
    }

    void execute(String sql) {
        database.sql(sql).then().block(Duration.ofSeconds(10));
    }

    Map<?, ?> page(String sort) {
        return client.get().uri("/api/articles/{slug}/comments?sort={sort}", article.slug(), sort).exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
    }

    static Map<?, ?> item(Map<?, ?> page, int index) {
        return (Map<?, ?>) ((List<?>) page.get("items")).get(index);
    }

    static List<String> bodies(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(item -> (String) ((Map<?, ?>) item).get("bodyHtml"))
            .toList();
    }

    String firstBody() {
        return (String) item(page("oldest"), 0).get("bodyHtml");
    }

    void vote(String id, String voter, int value) {
        client.post().uri("/api/comments/{id}/votes", id).header("X-Voter-Id", voter)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("value", value)).exchange()
            .expectStatus().isOk();
    }

    String post(String body, String parentId) {
        return Posting.post(client, article.slug(), body, parentId).id();
    }
}
