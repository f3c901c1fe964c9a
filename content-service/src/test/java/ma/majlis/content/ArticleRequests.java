package ma.majlis.content;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Article requests as editors send them, and what the tests look up in content-service's tables. */
public final class ArticleRequests {

    public static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown");

    static final Duration WAIT = Duration.ofSeconds(10);

    private ArticleRequests() {
    }

    /** Posts a page as Markdown, named by its file name ({@code day-4.md}) as an MkDocs page is. */
    public static WebTestClient.ResponseSpec post(WebTestClient client, String fileName, String page) {
        return client.post().uri("/api/articles")
            .contentType(MARKDOWN)
            .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + fileName + "\"")
            .bodyValue(page.getBytes(StandardCharsets.UTF_8))
            .exchange();
    }

    /** Replaces the article at {@code slug} with a page as Markdown, with {@code If-Match}. */
    public static WebTestClient.ResponseSpec put(WebTestClient client, String slug, String ifMatch, String page) {
        return client.put().uri("/api/articles/" + slug)
            .contentType(MARKDOWN)
            .header(HttpHeaders.IF_MATCH, ifMatch)
            .bodyValue(page.getBytes(StandardCharsets.UTF_8))
            .exchange();
    }

    /** Removes every article and outbox row. */
    public static void deleteAll(DatabaseClient database) {
        database.sql("delete from outbox").then().then(database.sql("delete from article").then()).block(WAIT);
    }

    public static long articleCount(DatabaseClient database) {
        Map<String, Object> row = database.sql("select count(*) as n from article").fetch().one().block(WAIT);
        return (Long) row.get("n");
    }

    /** The types of the events in the outbox, in the order they were written. */
    public static List<Object> outboxTypes(DatabaseClient database) {
        return database.sql("select type from outbox order by position").map(row -> (Object) row.get("type"))
            .all().collectList().block(WAIT);
    }
}
