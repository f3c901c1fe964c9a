package ma.majlis.content.articles;

import java.nio.charset.StandardCharsets;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With an editor token set, every article write needs it; reads never do. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "majlis.articles.editor-token=s3cret-editor-token")
@AutoConfigureWebTestClient
@ImportRealInfrastructure
class EditorAccessTest {

    static final MediaType MARKDOWN = MediaType.parseMediaType("text/markdown");

    @Autowired
    WebTestClient client;

    @Test
    void refusesAWriteWithoutTheTokenAs401Problem() {
        post("day-31-refused", null).expectStatus().isUnauthorized()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"majlis\"")
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/not-signed-in")
            .jsonPath("$.status").isEqualTo(401);
        client.get().uri("/api/articles/day-31-refused").exchange().expectStatus().isNotFound();
    }

    @Test
    void refusesAWrongTokenAs403Problem() {
        post("day-32-refused", "Bearer not-the-token").expectStatus().isForbidden()
            .expectBody().jsonPath("$.type").isEqualTo("/problems/not-an-editor");
        client.get().uri("/api/articles/day-32-refused").exchange().expectStatus().isNotFound();
        client.delete().uri("/api/articles/anything").header(HttpHeaders.AUTHORIZATION, "Basic abc").exchange()
            .expectStatus().isUnauthorized();
        client.post().uri("/api/article-imports").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void letsTheEditorWriteAndEveryoneRead() {
        post("day-30-guarded", "Bearer s3cret-editor-token").expectStatus().isCreated();
        client.get().uri("/api/articles/day-30-guarded").exchange().expectStatus().isOk();
        client.get().uri("/api/articles").exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec post(String slug, String authorization) {
        WebTestClient.RequestBodySpec request = client.post().uri("/api/articles").contentType(MARKDOWN)
            .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + slug + ".md\"");
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.bodyValue("# A guarded day\n".getBytes(StandardCharsets.UTF_8)).exchange();
    }
}
