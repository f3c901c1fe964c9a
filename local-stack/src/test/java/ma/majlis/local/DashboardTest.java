package ma.majlis.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard imports as it is: valid JSON, each panel on the datasource the importer picks, and queries
 * whose metric names can be checked against a running stack (LocalStackIT does).
 */
class DashboardTest {

    static final Path DASHBOARD = DeploymentFilesTest.HOME.resolve("deploy/grafana/majlis.json");

    @Test
    void readsTheMetricNamesOutOfPromQl() {
        assertThat(DashboardQueries.metricsIn(
            "histogram_quantile(0.99, sum by (le, application) (rate(http_server_requests_seconds_bucket"
                + "{status=~\"5..\"}[$__rate_interval]))) * 60"))
            .containsExactly("http_server_requests_seconds_bucket");
        assertThat(DashboardQueries.metricsIn("max by (topic) (majlis_outbox_backlog) or majlis_consumer_lag"))
            .containsExactly("majlis_consumer_lag", "majlis_outbox_backlog");
    }

    @Test
    void showsMajlisOwnMetricsOnPanelsThatUseTheChosenDatasource() throws Exception {
        String json = Files.readString(DASHBOARD);
        List<Map<String, Object>> panels = JsonPath.read(json, "$.panels[?(@.type != 'row')]");
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10).allSatisfy(panel -> {
            assertThat(JsonPath.<String>read(panel, "$.datasource.uid")).isEqualTo("${datasource}");
            assertThat(JsonPath.<List<String>>read(panel, "$.targets[*].expr")).isNotEmpty();
        });
        assertThat(JsonPath.<List<Integer>>read(json, "$.panels[*].id")).doesNotHaveDuplicates();
        assertThat(DashboardQueries.metrics(DASHBOARD)).contains("majlis_comments_posted_total",
            "majlis_comments_rejected_total", "majlis_streams_open", "majlis_events_published_total",
            "majlis_outbox_backlog", "majlis_outbox_oldest_age_seconds", "majlis_consumer_lag");
    }
}
