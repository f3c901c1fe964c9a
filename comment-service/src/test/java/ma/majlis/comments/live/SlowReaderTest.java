package ma.majlis.comments.live;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reader that stops reading is let go when it falls its buffer behind; the others get every comment, and
 * heartbeats while nothing happens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "majlis.streams.buffer=4", "majlis.streams.heartbeat=1s" })
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class SlowReaderTest {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    StreamHub hub;

    @Test
    void aStalledReaderIsClosedAndALiveReaderGetsEveryComment() throws Exception {
        Articles.Announced article = Articles.publish(database, "day-78-slow", true);
        // Enough bytes (about 5 MB) to fill the socket buffers of the kernel and of Netty, and then the reader's.
        int comments = 600;
        try (Socket stalled = new Socket(); StreamReader live = new StreamReader(port, article.slug(), null)) {
            // A reader whose window is tiny and who never reads a byte.
            stalled.setReceiveBufferSize(2048);
            stalled.connect(new InetSocketAddress("localhost", port));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/articles/" + article.slug() + "/comments/stream HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> live.connected() && hub.openStreams() == 2);

            String body = "A long comment. ".repeat(560);
            for (int i = 0; i < comments; i++) {
                client.post().uri("/api/articles/{slug}/comments", article.slug())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("authorName", "Writer", "body", body + i))
                    .exchange()
                    .expectStatus().isCreated()
                    // Read each answer, so its connection goes back to the client's pool.
                    .expectBody(Map.class);
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> live.changes().size() == comments);
            assertThat(live.ended()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> live.received.stream()
                .anyMatch(event -> "heartbeat".equals(event.comment())));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(hub.openStreams()).as("the stalled reader has been let go").isEqualTo(1));
        }
    }
}
