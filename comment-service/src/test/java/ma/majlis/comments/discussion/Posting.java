package ma.majlis.comments.discussion;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Posts a comment as a reader does, for tests that need one to change or read. */
final class Posting {

    private Posting() {
    }

    /** What a POST answered: the comment's id and its edit token. */
    record Posted(String id, String token) {
    }

    /** Posts {@code body} by "Author" under {@code slug}, in reply to {@code parentId} if given; expects 201. */
    static Posted post(WebTestClient client, String slug, String body, @Nullable String parentId) {
        Map<String, Object> comment = new HashMap<>(Map.of("authorName", "Author", "body", body));
        if (parentId != null) {
            comment.put("parentId", parentId);
        }
        Map<?, ?> posted = client.post().uri("/api/articles/{slug}/comments", slug)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(comment).exchange()
            .expectStatus().isCreated()
            .expectBody(Map.class).returnResult().getResponseBody();
        return new Posted((String) ((Map<?, ?>) posted.get("comment")).get("id"), (String) posted.get("editToken"));
    }
}
