package ma.majlis.comments.web;

import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.ConnectionFactory;
import ma.majlis.comments.Articles;
import ma.majlis.testing.CancelStorm;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;


/**
 * Hundreds of readers who leave in the middle of an answer, on every read endpoint and the stream: afterwards
 * every endpoint answers as before, and the connection pool is back to holding nothing (../STACK.md: a Flux
 * straight from R2DBC leaked a connection per cancelled request and wedged a service this way).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CancelStormTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    ConnectionFactory connections;

    @LocalServerPort
    int port;

    @Test
    void readersWhoLeaveMidAnswerLeaveNothingHeldAndEveryEndpointAnswersAfterwards() {
        Articles.Announced article = Articles.publish(database, "day-60-storm", true);
        UUID first = discussionOf(article, 120);
        List<String> reads = List.of(
            "/api/articles/" + article.slug() + "/comments?limit=100",
            "/api/articles/" + article.slug() + "/comments?sort=top&limit=100",
            "/api/articles/" + article.slug() + "/comments.atom",
            "/api/comments/" + first + "/replies?limit=100",
            "/api/comments/" + first,
            "/api/comment-counts?articles=" + article.slug(),
            "/api/articles/" + article.slug() + "/comments/stream?lastEventId=0");

        CancelStorm.Result storm = CancelStorm.cut(port, reads, 60, 40);

        storm.assertEveryRequestTaken();
        CancelStorm.awaitNothingHeld(connections);
        CancelStorm.assertAnswered(port, reads.stream().filter(path -> !path.contains("/stream")).toList());
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.status").isEqualTo("UP");
    }

    /** {@code comments} top-level comments and one reply to the first, stored directly; answers the first's id. */
    private UUID discussionOf(Articles.Announced article, int comments) {
        UUID first = UUID.randomUUID();
        database.sql("""
                insert into comment (id, article_id, article_slug, seq, depth, author_name, body_markdown, body_html,
                                     status)
                select case when n = 1 then :first else gen_random_uuid() end, :article, :slug, n, 0, 'Reader ' || n,
                       'Comment ' || n, '<p>' || repeat('Comment text ', 40) || n || '</p>', 'published'
                  from generate_series(1, :count) as n""")
            .bind("first", first).bind("article", article.id()).bind("slug", article.slug()).bind("count", comments)
            .then().block();
        database.sql("""
                insert into comment (id, article_id, article_slug, parent_id, seq, depth, author_name, body_markdown,
                                     body_html, status)
                values (gen_random_uuid(), :article, :slug, :first, :seq, 1, 'Replier', 'A reply', '<p>A reply</p>',
                        'published')""")
            .bind("first", first).bind("article", article.id()).bind("slug", article.slug()).bind("seq", comments + 1)
            .then().block();
        database.sql("update article set last_seq = :seq where id = :id").bind("seq", comments + 1)
            .bind("id", article.id()).then().block();
        return first;
    }
}
