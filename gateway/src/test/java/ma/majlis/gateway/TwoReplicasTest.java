package ma.majlis.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances of comment-service listed in one setting share the load, and one that is down (nothing
 * listens at its address) costs readers nothing: what cannot connect to it goes to the next instance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "MAJLIS_RATE_LIMIT_BURST=100")
@AutoConfigureWebTestClient
class TwoReplicasTest {

    static final Upstream content = new Upstream("content-service");

    static final Upstream first = new Upstream("comment-service");

    static final Upstream second = new Upstream("comment-service");

    /** An address where nothing listens: an instance that is down. */
    static final int DOWN = freePort();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("MAJLIS_CONTENT_SERVICE_URI", content::uri);
        registry.add("MAJLIS_COMMENT_SERVICE_URI",
            () -> first.uri() + ", http://localhost:" + DOWN + ", " + second.uri());
    }

    @AfterAll
    static void stopUpstreams() {
        content.close();
        first.close();
        second.close();
    }

    @Autowired
    WebTestClient client;

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void spreadsReadsAndWritesOverTheLiveInstancesAndLosesNoneToTheDeadOne() {
        for (int i = 0; i < 9; i++) {
            client.get().uri("/api/comment-counts?articles=a" + i).exchange().expectStatus().isOk();
            client.post().uri("/api/articles/day-1/comments").exchange().expectStatus().isOk();
        }
        assertThat(first.requests()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(second.requests()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(first.requests().size() + second.requests().size()).as("every request answered once").isEqualTo(18);
    }
}
