package ma.majlis.content.web;

import java.util.List;

import io.r2dbc.spi.ConnectionFactory;
import ma.majlis.content.ArticleRequests;
import ma.majlis.testing.CancelStorm;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;


/**
 * Hundreds of readers who leave in the middle of an answer, on every read endpoint: afterwards every endpoint
 * answers as before, and the connection pool holds nothing (../STACK.md: a Flux straight from R2DBC leaked a
 * connection per cancelled request and wedged a service this way).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class CancelStormTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ConnectionFactory connections;

    @LocalServerPort
    int port;

    @Test
    void readersWhoLeaveMidAnswerLeaveNothingHeldAndEveryEndpointAnswersAfterwards() {
        for (int day = 1; day <= 40; day++) {
            ArticleRequests.post(client, "day-" + (500 + day) + "-storm.md", """
                ---
                comments: true
                tags: [storm, vision]
                ---
                # Day %d: Readers who leave

                %s
                """.formatted(500 + day, "Farmers and engineers read about cameras over the fields. ".repeat(60)))
                .expectStatus().isCreated().expectBody().consumeWith(body -> { });
        }
        List<String> reads = List.of("/api/articles?limit=50", "/api/articles?tag=storm&limit=50",
            "/api/articles?q=farmers&limit=50", "/api/articles/day-501-storm");

        CancelStorm.Result storm = CancelStorm.cut(port, reads, 100, 40);

        storm.assertEveryRequestTaken();
        CancelStorm.awaitNothingHeld(connections);
        CancelStorm.assertAnswered(port, reads);
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.status").isEqualTo("UP");
    }
}
