package ma.majlis.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ma.majlis.local.ServiceProcess;
import ma.majlis.testing.CancelStorm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that hang up in the middle of the answer, or before it, on every read endpoint and the stream, through
 * the gateway: afterwards nothing is held (database connections, streams) and every endpoint answers.
 */
@DisplayName("Cancel storm")
@ExtendWith(Report.class)
class CancelStormIT {

    static final int PER_PATH = 60;

    final Stack stack = Stack.shared();

    final Api api = new Api(stack.gatewayUrl());

    @Test
    @DisplayName("Requests reset by the client mid-answer or before it, 60 on each of 9 read endpoints and the stream, "
        + "40 at a time, through the gateway")
    void afterTheStormNothingIsHeldAndEveryEndpointAnswers(Report.Finding finding) {
        finding.checks("every cut request was taken; afterwards both services hold no database connection and no "
            + "stream, every endpoint answers 200 through the gateway, and every instance is still ready");
        String slug = "reliability-cancel-storm";
        api.publishArticle(stack.token("editor"), slug, "Cancel storm");
        for (int i = 0; i < 120; i++) {
            assertThat(api.comment(slug, "Storm reader " + i % 9, "Comment " + i + " of a long discussion")
                .status()).isEqualTo(201);
        }
        List<String> paths = List.of(
            "/api/articles/" + slug + "/comments?limit=100",
            "/api/articles/" + slug + "/comments?sort=newest&limit=100",
            "/api/articles/" + slug + "/comments?sort=top&limit=100",
            "/api/articles/" + slug + "/comments.atom",
            "/api/articles/" + slug + "/comments/stream?lastEventId=0",
            "/api/comment-counts?articles=" + slug + "," + String.join(",", Stack.ARTICLES),
            "/api/articles",
            "/api/articles?q=morocco",
            "/api/articles/" + Stack.ARTICLES.get(2),
            "/api/articles?tag=agriculture");
        CancelStorm.Result storm = CancelStorm.cut(stack.gatewayPort, paths, PER_PATH, 40);
        finding.figure("requests cut", storm.sent() + " (" + storm.cutMidAnswer() + " after the first bytes, "
            + storm.cutBeforeAnswer() + " before any)");
        storm.assertEveryRequestTaken();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (ServiceProcess service : List.of(stack.content, stack.comments, stack.otherComments)) {
                Map<String, Double> metrics = Metrics.scrape(stack, service);
                assertThat(Metrics.sum(metrics, "r2dbc_pool_acquired_connections", ""))
                    .as(service.name() + " database connections held").isZero();
                assertThat(Metrics.sum(metrics, "r2dbc_pool_pending_connections", ""))
                    .as(service.name() + " requests waiting for a connection").isZero();
            }
            assertThat(Metrics.sum(Metrics.scrape(stack, stack.comments), "majlis_streams_open", "")
                + Metrics.sum(Metrics.scrape(stack, stack.otherComments), "majlis_streams_open", ""))
                .as("streams still open").isZero();
        });
        CancelStorm.assertAnswered(stack.gatewayPort, paths.stream().filter(path -> !path.contains("/stream")).toList());
        for (ServiceProcess service : List.of(stack.content, stack.comments, stack.otherComments, stack.gateway)) {
            stack.awaitReady(service);
        }
    }
}
