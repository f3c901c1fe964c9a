package ma.majlis.content;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class ContentServiceApplicationTest {

    @Autowired
    WebTestClient client;

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
    void isLiveWithoutConsultingItsDependencies() {
        client.get().uri("/actuator/health/liveness").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.status").isEqualTo("UP")
            .jsonPath("$.components.r2dbc").doesNotExist();
    }

    /** A line of the scrape for {@code name} whose labels include {@code labels}, with a value. */
    static String series(String name, String labels) {
        return "(?m)^" + java.util.regex.Pattern.quote(name) + "\\{[^}]*" + java.util.regex.Pattern.quote(labels)
            + "[^}]*} \\d";
    }

    @Test
    void servesItsOutboxAndConsumerMetricsToPrometheus() {
        // The scrape outgrows the test client's default buffer once other tests' requests are counted.
        client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
            .get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).value(scrape -> org.assertj.core.api.Assertions.assertThat(scrape)
                .containsPattern(series("majlis_events_published_total", "topic=\"majlis.articles.v1\""))
                .containsPattern(series("majlis_outbox_backlog", "topic=\"majlis.articles.v1\""))
                .containsPattern(series("majlis_outbox_oldest_age_seconds", "topic=\"majlis.articles.v1\""))
                .containsPattern(series("majlis_consumer_lag",
                    "group=\"content-service.comment-counts\",topic=\"majlis.comments.v1\""))
                .containsPattern(series("majlis_consumer_lag", "application=\"content-service\""))
                .contains("r2dbc_pool_acquired_connections"));
    }

    @Test
    void describesItsHttpApiInAnOpenApiDocumentGeneratedFromTheCode() {
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.openapi").value(version -> org.assertj.core.api.Assertions.assertThat((String) version)
                .startsWith("3."))
            .jsonPath("$.info.title").isEqualTo("Majlis content-service")
            .jsonPath("$.servers[0].url").isEqualTo("/")
            .jsonPath("$.paths['/api/articles'].get").exists()
            .jsonPath("$.paths['/api/articles'].post").exists()
            .jsonPath("$.paths['/api/articles/{slug}'].get").exists()
            .jsonPath("$.paths['/api/articles/{slug}'].put").exists()
            .jsonPath("$.paths['/api/articles/{slug}'].delete").exists()
            .jsonPath("$.paths['/api/article-imports'].post").exists();
    }

    @Test
    void listsArticlesFromItsMigratedDatabase() {
        client.get().uri("/api/articles").exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .jsonPath("$.items").isArray();
    }

    @Test
    void rejectsAnOutOfRangePageSizeAsProblemJson() {
        client.get().uri("/api/articles?limit=0").exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.status").isEqualTo(400)
            .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                .contains("limit must be between 1 and 100"));
    }

    @Test
    void answersANonNumericPageSizeWithA400NotA500() {
        client.get().uri("/api/articles?limit=lots").exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
