package ma.majlis.comments.live;

import java.time.Duration;
import java.util.Map;

import ma.majlis.comments.Articles;
import ma.majlis.comments.CommentServiceApplication;
import ma.majlis.testing.ImportRealInfrastructure;
import ma.majlis.testing.RealInfrastructureConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two comment-service instances on one database and broker: a comment posted to one reaches the other's readers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ImportRealInfrastructure
class TwoInstancesTest {

    static ConfigurableApplicationContext second;

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient database;

    @BeforeAll
    static void startSecondInstance() {
        second = new SpringApplicationBuilder(CommentServiceApplication.class, RealInfrastructureConfiguration.class)
            .properties("server.port=0")
            .run();
    }

    @AfterAll
    static void stopSecondInstance() {
        second.close();
    }

    @Test
    void aCommentPostedThroughOneInstanceReachesAReaderOfTheOther() {
        Articles.Announced article = Articles.publish(database, "day-77-two", true);
        int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
        assertThat(secondPort).isNotEqualTo(port);

        try (StreamReader onSecond = new StreamReader(secondPort, article.slug(), null)) {
            await().atMost(Duration.ofSeconds(30)).until(onSecond::connected);

            WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .post().uri("/api/articles/{slug}/comments", article.slug())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("authorName", "Karim", "body", "Posted to the first instance"))
                .exchange()
                .expectStatus().isCreated();

            await().atMost(Duration.ofSeconds(30)).until(() -> onSecond.changes().size() == 1);
            assertThat(onSecond.changes().get(0).data())
                .containsEntry("bodyHtml", "<p>Posted to the first instance</p>");
        }
    }
}
