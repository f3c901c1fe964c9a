package ma.majlis.comments;

import java.time.Duration;
import java.util.UUID;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CommentServiceApplicationTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Test
    void isReadyWithItsDatabaseAndShowsKafkaInItsHealthButNotInReadiness() {
        // Writes go on while Kafka is away (the outbox keeps their events), so the broker does not decide readiness.
        client.get().uri("/actuator/health/readiness").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.status").isEqualTo("UP")
            .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
            .jsonPath("$.components.kafka").doesNotExist();
        client.get().uri("/actuator/health").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.components.kafka.status").isEqualTo("UP");
    }

    @Test
    void describesItsHttpApiInAnOpenApiDocumentGeneratedFromTheCode() {
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.info.title").isEqualTo("Majlis comment-service")
            .jsonPath("$.servers[0].url").isEqualTo("/")
            .jsonPath("$.paths['/api/articles/{slug}/comments'].get").exists()
            .jsonPath("$.paths['/api/articles/{slug}/comments'].post").exists()
            .jsonPath("$.paths['/api/articles/{slug}/comments/stream'].get").exists()
            .jsonPath("$.paths['/api/comments/{id}'].patch").exists()
            .jsonPath("$.paths['/api/comments/{id}'].delete").exists()
            .jsonPath("$.paths['/api/comments/{id}/replies'].get").exists()
            .jsonPath("$.paths['/api/comment-counts'].get").exists();
    }

    @Test
    void migratedSchemaKeepsOneSequenceNumberPerArticle() {
        UUID article = insertArticle();
        insertComment(article, 1).as(StepVerifier::create).expectComplete().verify(Duration.ofSeconds(10));
        insertComment(insertArticle(), 1).as(StepVerifier::create).expectComplete().verify(Duration.ofSeconds(10));
        insertComment(article, 1).as(StepVerifier::create)
            .expectError(DataIntegrityViolationException.class)
            .verify(Duration.ofSeconds(10));
    }

    private UUID insertArticle() {
        UUID id = UUID.randomUUID();
        database.sql("""
                insert into article (id, slug, title, comments_enabled, status, version)
                values (:id, :slug, 'Day 10', true, 'published', 1)""")
            .bind("id", id)
            .bind("slug", "schema-test-" + id)
            .then().block(Duration.ofSeconds(10));
        return id;
    }

    private Mono<Void> insertComment(UUID article, long seq) {
        return database.sql("""
                insert into comment (id, article_id, article_slug, seq, author_name, body_html)
                values (:id, :article, 'day-10-nurturing-ai-talent', :seq, 'Salma', '<p>Merci !</p>')""")
            .bind("id", UUID.randomUUID())
            .bind("article", article)
            .bind("seq", seq)
            .then();
    }
}
