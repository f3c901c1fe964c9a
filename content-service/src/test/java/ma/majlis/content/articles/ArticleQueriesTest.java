package ma.majlis.content.articles;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

@DataR2dbcTest
@ImportRealInfrastructure
@org.springframework.boot.autoconfigure.ImportAutoConfiguration(
    org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class)
@Import(ArticleQueries.class)
class ArticleQueriesTest {

    @Autowired
    DatabaseClient database;

    @Autowired
    ArticleQueries queries;

    @BeforeEach
    void emptyTable() {
        database.sql("delete from article").then().as(StepVerifier::create).verifyComplete();
    }

    @Test
    void listsPublishedArticlesNewestFirstAndLeavesDraftsOut() {
        OffsetDateTime now = OffsetDateTime.parse("2026-11-27T10:00:00Z");
        insert("day-1-ai-in-morocco", "published", now.minusDays(9));
        insert("day-10-nurturing-ai-talent", "published", now);
        insert("day-11-unfinished", "draft", null);

        queries.newest(10)
            .as(StepVerifier::create)
            .assertNext(page -> assertThat(page.items()).extracting(ArticleSummary::slug)
                .containsExactly("day-10-nurturing-ai-talent", "day-1-ai-in-morocco"))
            .expectComplete()
            .verify(Duration.ofSeconds(10));
    }

    @Test
    void returnsNoMoreThanTheLimit() {
        OffsetDateTime now = OffsetDateTime.parse("2026-11-27T10:00:00Z");
        for (int day = 1; day <= 5; day++) {
            insert("day-" + day, "published", now.plusDays(day));
        }
        queries.newest(2)
            .as(StepVerifier::create)
            .assertNext(page -> assertThat(page.items()).extracting(ArticleSummary::slug)
                .containsExactly("day-5", "day-4"))
            .expectComplete()
            .verify(Duration.ofSeconds(10));
    }

    private void insert(String slug, String status, OffsetDateTime publishedAt) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                insert into article (id, slug, title, status, published_at)
                values (:id, :slug, :title, :status, :publishedAt)""")
            .bind("id", UUID.randomUUID())
            .bind("slug", slug)
            .bind("title", slug)
            .bind("status", status);
        insert = publishedAt == null ? insert.bindNull("publishedAt", OffsetDateTime.class)
            : insert.bind("publishedAt", publishedAt);
        insert.then().as(StepVerifier::create).expectComplete().verify(Duration.ofSeconds(10));
    }
}
