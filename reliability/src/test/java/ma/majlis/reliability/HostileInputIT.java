package ma.majlis.reliability;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import ma.majlis.infra.Databases;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and hostile requests against every write endpoint, through the gateway, as an attacker or a broken client
 * sends them. The seed is printed and can be given back with {@code -Dmajlis.hostile.seed=} to replay a run.
 */
@DisplayName("Bad input")
@ExtendWith(Report.class)
class HostileInputIT {

    static final int CASES_PER_ENDPOINT = 40;

    /** Elements and attribute values that would run something in a reader's browser. */
    static final Set<String> ACTIVE_ELEMENTS = Set.of("script", "iframe", "frame", "frameset", "object", "embed",
        "applet", "svg", "math", "style", "link", "meta", "base", "form", "input", "button", "textarea", "select",
        "template", "video", "audio", "source");

    final Stack stack = Stack.shared();

    final Api api = new Api(stack.gatewayUrl());

    @Test
    @DisplayName("Random and hostile requests to the 13 write endpoints through the gateway")
    void hostileRequestsAreRefusedCleanlyAndChangeNothing(Report.Finding finding) throws Exception {
        long seed = Long.getLong("majlis.hostile.seed", System.nanoTime());
        System.out.println("Hostile input seed: " + seed + " (replay with -Dmajlis.hostile.seed=" + seed + ")");
        finding.checks("no 5xx and no dropped connection; every refusal is application/problem+json without a stack "
            + "trace; a refused request changes no stored row; every accepted comment, preview and article renders "
            + "inert (no script, handler, frame or javascript: link)");
        String slug = "reliability-hostile";
        String editor = stack.token("editor");
        api.publishArticle(editor, slug, "Hostile input");
        Api.Answer posted = api.comment(slug, "Amina", "The comment the hostile edits aim at.");
        assertThat(posted.status()).isEqualTo(201);
        String commentId = posted.json().get("comment").get("id").asString();
        String editToken = posted.json().get("editToken").asString();

        HostileInput hostile = new HostileInput(seed);
        List<HostileInput.Case> cases = new ArrayList<>();
        for (HostileInput.Endpoint endpoint : endpoints(slug, commentId, editToken, editor)) {
            cases.addAll(hostile.cases(endpoint, CASES_PER_ENDPOINT));
        }

        List<String> violations = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (HostileInput.Case request : cases) {
            Map<String, String> before = fingerprint();
            RawHttp.Response response = RawHttp.send(stack.gatewayPort, request.method(), request.target(),
                request.headers(), request.body());
            statuses.merge(response.status(), 1, Integer::sum);
            int status = response.status();
            String body = response.text();
            if (status == 0 || status >= 500) {
                violations.add(status + " for " + request + ": " + abbreviated(body));
                continue;
            }
            if (body.contains("Exception") || body.contains("\tat ") || body.contains("at java.")) {
                violations.add("a stack trace in the answer to " + request + ": " + abbreviated(body));
            }
            if (status >= 400) {
                refused++;
                if (!response.header("Content-Type").startsWith("application/problem+json")) {
                    violations.add(status + " " + response.header("Content-Type") + " (not a problem) for " + request
                        + ": " + abbreviated(body));
                }
                else if (Api.JSON.readTree(body).path("status").asInt() != status) {
                    violations.add("a problem whose status is not " + status + " for " + request + ": "
                        + abbreviated(body));
                }
                Map<String, String> after = fingerprint();
                if (!after.equals(before)) {
                    violations.add("refused with " + status + " but changed " + changed(before, after) + ": " + request);
                }
            }
            else {
                accepted.add(request.endpoint() + " [" + request.what() + "]");
                if (response.header("Content-Type").contains("json") && !body.isEmpty()) {
                    inert(Api.JSON.readTree(body), request.toString(), violations);
                }
            }
        }

        // What was stored renders inert too: every comment of the discussion, and every page an editor published.
        int checked = 0;
        Api.Answer discussion = api.get("/api/articles/" + slug + "/comments?limit=100");
        assertThat(discussion.status()).isEqualTo(200);
        checked += inert(discussion.json(), "the stored discussion", violations);
        Api.Answer list = api.get("/api/articles?limit=100");
        for (JsonNode article : list.json().get("items")) {
            Api.Answer page = api.get("/api/articles/" + article.get("slug").asString());
            if (page.status() == 200) {
                checked += inert(page.json(), "article " + article.get("slug").asString(), violations);
            }
        }

        finding.figure("requests", cases.size()).figure("seed", seed).figure("answers", statuses)
            .figure("refused", refused).figure("accepted", accepted.size())
            .figure("stored HTML fields checked inert", checked);
        assertThat(violations).as("hostile requests handled wrongly (seed " + seed + ")").isEmpty();
    }

    private List<HostileInput.Endpoint> endpoints(String slug, String commentId, String editToken, String editor) {
        var json = HostileInput.header("Content-Type", "application/json");
        var form = HostileInput.header("Content-Type", "application/x-www-form-urlencoded");
        var markdown = HostileInput.header("Content-Type", "text/markdown");
        var signedIn = HostileInput.header("Authorization", "Bearer " + editor);
        String token = "x".repeat(43);
        return List.of(
            new HostileInput.Endpoint("POST comment", "POST", "/api/articles/{}/comments",
                "/api/articles/" + slug + "/comments", Map.of("authorName", "Amina", "body", "A quiet line."),
                List.of(json), "application/json"),
            new HostileInput.Endpoint("PATCH comment", "PATCH", "/api/comments/{}", "/api/comments/" + commentId,
                Map.of("body", "An edited line."), List.of(json, HostileInput.header("X-Edit-Token", editToken)),
                "application/json"),
            new HostileInput.Endpoint("DELETE comment", "DELETE", "/api/comments/{}", "/api/comments/" + commentId,
                null, List.of(HostileInput.header("X-Edit-Token", "not-the-token")), "text/plain"),
            new HostileInput.Endpoint("POST vote", "POST", "/api/comments/{}/votes",
                "/api/comments/" + commentId + "/votes", Map.of("value", 1),
                List.of(json, HostileInput.header("X-Voter-Id", "reliability-voter-1")), "application/json"),
            new HostileInput.Endpoint("POST preview", "POST", "/api/comment-previews{}", "/api/comment-previews",
                Map.of("body", "A *preview*."), List.of(json), "application/json"),
            new HostileInput.Endpoint("POST subscription", "POST", "/api/articles/{}/subscriptions",
                "/api/articles/" + slug + "/subscriptions", Map.of("email", "amina@example.ma", "mode", "immediate"),
                List.of(json), "application/json"),
            new HostileInput.Endpoint("POST confirm", "POST", "/api/subscriptions/confirm?token={}",
                "/api/subscriptions/confirm?token=" + token, null, List.of(form), "application/x-www-form-urlencoded"),
            new HostileInput.Endpoint("POST unsubscribe", "POST", "/api/subscriptions/unsubscribe?token={}",
                "/api/subscriptions/unsubscribe?token=" + token, null, List.of(form),
                "application/x-www-form-urlencoded"),
            new HostileInput.Endpoint("POST webhook", "POST", "/api/webhooks{}", "/api/webhooks",
                Map.of("url", "https://example.ma/hooks/majlis", "articles", List.of(slug)), List.of(json, signedIn),
                "application/json"),
            new HostileInput.Endpoint("POST article (Markdown)", "POST", "/api/articles{}", "/api/articles", null,
                List.of(markdown, signedIn), "text/markdown"),
            new HostileInput.Endpoint("POST article (JSON)", "POST", "/api/articles{}", "/api/articles",
                Map.of("slug", "reliability-hostile-json", "markdown", "# A page\n\nOf text."), List.of(json, signedIn),
                "application/json"),
            new HostileInput.Endpoint("PUT article", "PUT", "/api/articles/{}", "/api/articles/" + slug, null,
                List.of(markdown, signedIn), "text/markdown"),
            new HostileInput.Endpoint("DELETE article", "DELETE", "/api/articles/{}",
                "/api/articles/reliability-no-such-article", null, List.of(signedIn), "text/plain"));
    }

    /** Checks every HTML field in {@code json} (any depth); returns how many it checked. */
    static int inert(JsonNode json, String where, List<String> violations) {
        int checked = 0;
        if (json.isObject()) {
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                if (field.getKey().toLowerCase(Locale.ROOT).endsWith("html") && field.getValue().isString()) {
                    checked++;
                    String active = activeContent(field.getValue().asString());
                    if (active != null) {
                        violations.add(where + ": " + field.getKey() + " holds " + active);
                    }
                }
                else {
                    checked += inert(field.getValue(), where, violations);
                }
            }
        }
        else if (json.isArray()) {
            for (JsonNode item : json) {
                checked += inert(item, where, violations);
            }
        }
        return checked;
    }

    /** What in {@code html} could run in a browser, or null when nothing can. */
    static String activeContent(String html) {
        for (Element element : Jsoup.parseBodyFragment(html).body().getAllElements()) {
            if (ACTIVE_ELEMENTS.contains(element.normalName())) {
                return "a <" + element.normalName() + "> element";
            }
            for (Attribute attribute : element.attributes()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue().replaceAll("[\\s\\p{Cntrl}]", "").toLowerCase(Locale.ROOT);
                if (name.startsWith("on") || name.equals("style") || name.equals("srcdoc")
                    || value.startsWith("javascript:") || value.startsWith("vbscript:") || value.startsWith("data:")) {
                    return "<" + element.normalName() + " " + attribute.getKey() + "=\"" + attribute.getValue() + "\">";
                }
            }
        }
        return null;
    }

    /**
     * What a request could have changed in either service's database: every row of the tables that requests write,
     * as a digest, and the row counts of those that background work also updates.
     */
    Map<String, String> fingerprint() throws SQLException {
        Map<String, String> digest = new LinkedHashMap<>();
        try (Connection comments = stack.database(Databases.COMMENTS);
             Connection content = stack.database(Databases.CONTENT)) {
            digest.put("comment", one(comments, "select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from comment t"));
            digest.put("vote", one(comments, "select md5(coalesce(string_agg(t::text, ',' order by t.comment_id, t.voter), '')) from vote t"));
            digest.put("comment outbox", one(comments, "select count(*) from outbox"));
            digest.put("comment_event", one(comments, "select count(*) from comment_event"));
            digest.put("idempotent_request", one(comments, "select count(*) from idempotent_request"));
            digest.put("subscription", one(comments, "select md5(coalesce(string_agg(id || status || address || mode, ',' order by id), '')) from subscription"));
            digest.put("webhook", one(comments, "select md5(coalesce(string_agg(id || url, ',' order by id), '')) from webhook"));
            // The comment count is kept up to date from the comments topic, in the background.
            digest.put("article", one(content, "select md5(coalesce(string_agg((to_jsonb(t) - 'comment_count')::text, ',' order by t.id), '')) from article t"));
            digest.put("article outbox", one(content, "select count(*) from outbox"));
        }
        return digest;
    }

    private static String one(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String changed(Map<String, String> before, Map<String, String> after) {
        List<String> tables = new ArrayList<>();
        before.forEach((table, digest) -> {
            if (!digest.equals(after.get(table))) {
                tables.add(table);
            }
        });
        return String.join(", ", tables);
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
