package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/** A request repeated under the same Idempotency-Key answers the first answer and stores nothing new. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class IdempotencyTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    Articles.Announced article;

    @BeforeEach
    void openDiscussion() {
        article = Articles.publish(database, "day-73-retries", true);
    }

    @Test
    void aRepeatedRequestAnswersTheFirstAnswerWithItsEditTokenAndStoresOneComment() {
        String key = UUID.randomUUID().toString();
        Map<?, ?> first = post(key, "Salam", "Shukran!").expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> again = post(key, "Salam", "Shukran!").expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(again).isEqualTo(first);
        assertThat(again.get("editToken")).isNotNull();
        assertThat(comments()).isEqualTo(1);
        assertThat(outboxRows()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndStoresNothing() {
        String key = UUID.randomUUID().toString();
        post(key, "Salam", "Shukran!").expectStatus().isCreated();
        post(key, "Salam", "Something else").expectStatus().isEqualTo(422)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo("/problems/idempotency-key-reused");
        assertThat(comments()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsUnderOneKeyStoreOneCommentAndAllAnswerIt() {
        String key = UUID.randomUUID().toString();
        List<Object> ids = Flux.range(0, 8)
            .parallel(8)
            .runOn(Schedulers.boundedElastic())
            .map(i -> {
                Map<?, ?> posted = post(key, "Youssef", "Same request, sent eight times at once.")
                    .expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody();
                return (Object) ((Map<?, ?>) posted.get("comment")).get("id");
            })
            .sequential()
            .collectList()
            .block(Duration.ofSeconds(30));

        assertThat(ids).hasSize(8).containsOnly(ids.get(0));
        assertThat(comments()).isEqualTo(1);
    }

    @Test
    void refusesAKeyThatIsNotOne() {
        client.post().uri("/api/articles/{slug}/comments", article.slug())
            .header("Idempotency-Key", "x".repeat(201))
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("authorName", "A", "body", "Hi"))
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
        assertThat(comments()).isZero();
    }

    private WebTestClient.ResponseSpec post(String key, String name, String body) {
        return client.post().uri("/api/articles/{slug}/comments", article.slug())
            .header("Idempotency-Key", key)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("authorName", name, "body", body))
            .exchange();
    }

    private long comments() {
        return database.sql("select count(*) as n from comment where article_id = :id").bind("id", article.id())
            .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }

    private long outboxRows() {
        return database.sql("select count(*) as n from outbox where aggregateid = :id")
            .bind("id", article.id().toString())
            .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }
}
