package ma.majlis.comments.discussion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ma.majlis.comments.Articles;
import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of a 10,000-comment discussion reads what a page of a 10-comment one reads: PostgreSQL's plan for each
 * order walks an index and stops after the page. (How fast that is, is measured in bench/, not here.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class LargeDiscussionTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    JsonMapper json;

    @Test
    void aPageOfTenThousandCommentsReadsOnlyThePage() {
        Articles.Announced article = Articles.publish(database, "day-85-large", true);
        database.sql("""
                insert into comment (id, article_id, article_slug, seq, author_name, body_markdown, body_html, score)
                select gen_random_uuid(), :id, :slug, n, 'Reader', 'Comment ' || n, '<p>Comment ' || n || '</p>',
                       n % 7
                  from generate_series(1, 10000) as n""")
            .bind("id", article.id())
            .bind("slug", article.slug())
            .then().block(Duration.ofSeconds(60));
        database.sql("update article set last_seq = 10000, published_count = 10000 where id = :id")
            .bind("id", article.id()).then().block(Duration.ofSeconds(5));
        database.sql("analyze comment").then().block(Duration.ofSeconds(30));

        client.get().uri("/api/articles/{slug}/comments?limit=50", article.slug()).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.items.length()").isEqualTo(50).jsonPath("$.items[49].seq").isEqualTo(50);

        for (String order : List.of("c.seq", "c.seq desc", "c.score desc, c.seq")) {
            JsonNode plan = plan("""
                select c.id from comment c
                 where c.article_id = '%s' and c.parent_id is null
                   and (c.status = 'published' or (c.status in ('deleted', 'hidden') and c.reply_count > 0))
                 order by %s limit 51""".formatted(article.id(), order));
            assertThat(nodeTypes(plan)).as("plan for order by %s", order).doesNotContain("Seq Scan", "Sort");
            assertThat(plan.path("Actual Rows").asInt()).isEqualTo(51);
            assertThat(maxRowsRead(plan)).as("rows read for order by %s", order).isLessThanOrEqualTo(51);
        }
    }

    private JsonNode plan(String query) {
        String text = database.sql("explain (analyze, format json) " + query)
            .map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
        return json.readTree(text).get(0).get("Plan");
    }

    private static List<String> nodeTypes(JsonNode plan) {
        List<String> types = new ArrayList<>();
        types.add(plan.path("Node Type").asString());
        plan.path("Plans").forEach(child -> types.addAll(nodeTypes(child)));
        return types;
    }

    private static int maxRowsRead(JsonNode plan) {
        int max = plan.path("Actual Rows").asInt() + plan.path("Rows Removed by Filter").asInt();
        for (JsonNode child : plan.path("Plans")) {
            max = Math.max(max, maxRowsRead(child));
        }
        return max;
    }
}
