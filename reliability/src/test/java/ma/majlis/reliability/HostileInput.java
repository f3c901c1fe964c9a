package ma.majlis.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Hostile requests, drawn from a seeded random source so that a failing case can be replayed with the same seed:
 * malformed and deeply nested JSON, huge fields and bodies, bytes that are not UTF-8, control characters, SQL and
 * template injection, script in Markdown, path tricks in slugs and ids, and headers out of range.
 */
final class HostileInput {

    /** One request to send; {@code what} says what was hostile about it. */
    record Case(String endpoint, String what, String method, String target, List<Map.Entry<String, byte[]>> headers,
        byte[] body) {

        @Override
        public String toString() {
            String shown = body == null ? "" : new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
            return endpoint + " [" + what + "] " + method + " " + (target.length() > 120 ? target.substring(0, 120)
                + "…" : target) + (body == null ? "" : " body(" + body.length + " B): " + shown);
        }
    }

    /**
     * A write endpoint: how to address it (with a slug or id put in place of {@code {}}), and the fields of a valid
     * JSON body, or null for a body that is not JSON.
     */
    record Endpoint(String name, String method, String path, String defaultTarget, Map<String, Object> validJson,
        List<Map.Entry<String, byte[]>> headers, String contentType) {
    }

    /** Strings that have broken other systems: injection, script, and characters that are not what they seem. */
    static final List<String> NASTY = List.of(
        "' OR '1'='1", "'; drop table comment; --", "\"; select pg_sleep(30); --", "1) union select * from pg_shadow --",
        "$$; drop table article; $$", "\\'; delete from vote; --",
        "${7*7}", "{{7*7}}", "#{7*7}", "<%= 7*7 %>", "${jndi:ldap://127.0.0.1:1/a}", "[[${7*7}]]",
        "*{T(java.lang.Runtime).getRuntime().exec('id')}", "{{constructor.constructor('alert(1)')()}}",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>", "<svg/onload=alert(1)>", "<iframe src=//evil.example></iframe>",
        "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<style>*{display:none}</style>",
        "[x](vbscript:msgbox(1))", "<<script>script>alert(1)<</script>/script>",
        "<a href=\"  jav&#x09;ascript:alert(1)\">x</a>", "[x]( javascript:alert(1) )",
        "<div style=\"background:url(javascript:alert(1))\">x</div>", "<object data=x.swf></object>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<form action=//evil.example><button>x",
        "[a](https://example.ma \"title\" onmouseover=\"alert(1)\")", "<details open ontoggle=alert(1)>",
        "\u0000", "a\u0000b", "\u001b[31mred\u001b[0m", "\u202egnp.exe", "\u200b\u200b\u200b", "\r\n\r\nSet-Cookie: a=b",
        "\ud83c\udf31", "ðŸŒ±", "\ufeff", "\uffff", "e\u0301\u0301\u0301", "\u0085\u2028\u2029",
        "../../../../etc/passwd", "%2e%2e%2f", "null", "true", "-1", "1e309", "NaN", "", " ", "\t\n");

    /** Bodies that are not valid JSON, or JSON of the wrong shape. */
    static final List<String> MALFORMED = List.of(
        "", "{", "}", "{\"authorName\":", "{\"a\":1}}", "[1,2", "nul", "{'single':'quotes'}",
        "{\"authorName\":\"x\",\"body\":\"y\"} trailing", "{\"body\":\"\\ud800\"}", "{\"body\":\"\\u0000\"}",
        "{\"authorName\":\"a\",\"authorName\":\"b\",\"body\":\"c\"}", "/* comment */ {}", "[]", "\"text\"", "42",
        "null", "true", "{\"body\":NaN}", "{\"value\":1e999999}", "{\"value\":-0}", "{\"value\":1.5}",
        "{\"body\":\"\\x41\"}", "{\"body\":\"unterminated}", "{\"body\":\"a\"\"b\"}", "{,}", "{\"\":\"\"}",
        "\ufeff{\"authorName\":\"Amina\",\"body\":\"bom\"}");

    private final Random random;

    HostileInput(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} cases against {@code endpoint}, each hostile in one way drawn at random. */
    List<Case> cases(Endpoint endpoint, int count) {
        List<Case> cases = new ArrayList<>();
        List<Function<Endpoint, Case>> ways = new ArrayList<>(List.of(
            this::nastyField, this::malformed, this::invalidUtf8, this::hugeField, this::hugeBody,
            this::deepNesting, this::badContentType, this::hostileHeader, this::pathTrick, this::randomText));
        if (endpoint.validJson() != null) {
            ways.add(this::wrongType);
        }
        for (int i = 0; i < count; i++) {
            cases.add(ways.get(random.nextInt(ways.size())).apply(endpoint));
        }
        return cases;
    }

    private Case nastyField(Endpoint endpoint) {
        String nasty = pick(NASTY);
        if (endpoint.validJson() == null) {
            return body(endpoint, "nasty text", textBody(endpoint, nasty));
        }
        String field = pick(List.copyOf(endpoint.validJson().keySet()));
        return json(endpoint, "nasty " + field, with(endpoint, field, nasty));
    }

    private Case wrongType(Endpoint endpoint) {
        String field = pick(List.copyOf(endpoint.validJson().keySet()));
        Object wrong = pick(List.of(42, -1, 1.5, List.of("a", "b"), Map.of("nested", "object"), true, List.of()));
        Map<String, Object> fields = new java.util.LinkedHashMap<>(endpoint.validJson());
        fields.put(field, random.nextInt(5) == 0 ? null : wrong);
        return json(endpoint, "wrong type for " + field, Api.JSON.writeValueAsString(fields));
    }

    private Case malformed(Endpoint endpoint) {
        return body(endpoint, "malformed JSON", pick(MALFORMED).getBytes(StandardCharsets.UTF_8));
    }

    private Case invalidUtf8(Endpoint endpoint) {
        byte[][] sequences = { { (byte) 0xC3, 0x28 }, { (byte) 0xFF, (byte) 0xFE }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
            { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xE2, (byte) 0x82 }, { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80 } };
        byte[] bad = sequences[random.nextInt(sequences.length)];
        String marker = "INVALID";
        byte[] template = (endpoint.validJson() == null ? textBody(endpoint, marker)
            : with(endpoint, pick(List.copyOf(endpoint.validJson().keySet())), marker).getBytes(StandardCharsets.UTF_8));
        return body(endpoint, "bytes that are not UTF-8", replace(template, marker, bad));
    }

    private Case hugeField(Endpoint endpoint) {
        int size = pick(List.of(5_000, 20_000, 60_000));
        String huge = "ش".repeat(size / 2);
        if (endpoint.validJson() == null) {
            return body(endpoint, "huge text of " + size + " B", textBody(endpoint, huge));
        }
        String field = pick(List.copyOf(endpoint.validJson().keySet()));
        return json(endpoint, "huge " + field + " of " + size + " B", with(endpoint, field, huge));
    }

    private Case hugeBody(Endpoint endpoint) {
        int size = pick(List.of(70_000, 1_000_000, 8_000_000));
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) 'a');
        byte[] start = "{\"body\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, body, 0, start.length);
        body[size - 2] = '"';
        body[size - 1] = '}';
        return body(endpoint, "body of " + size + " B", body);
    }

    private Case deepNesting(Endpoint endpoint) {
        int depth = pick(List.of(1_200, 5_000, 30_000));
        boolean arrays = random.nextBoolean();
        StringBuilder deep = new StringBuilder();
        deep.append(arrays ? "[".repeat(depth) : "{\"a\":".repeat(depth)).append("1")
            .append(arrays ? "]".repeat(depth) : "}".repeat(depth));
        String body = endpoint.validJson() == null ? deep.toString()
            : "{\"" + pick(List.copyOf(endpoint.validJson().keySet())) + "\":" + deep + "}";
        return body(endpoint, "JSON nested " + depth + " deep", body.getBytes(StandardCharsets.UTF_8));
    }

    private Case badContentType(Endpoint endpoint) {
        String type = pick(List.of("text/plain", "application/xml", "application/json; charset=utf-16",
            "application/json; charset=nonsense", "application/json;;;", "*/*", "", "multipart/form-data",
            "application/x-www-form-urlencoded", "application/problem+json", "text/markdown; charset=latin1"));
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(without(endpoint.headers(), "Content-Type"));
        headers.add(header("Content-Type", type));
        return new Case(endpoint.name(), "Content-Type " + type, endpoint.method(), endpoint.defaultTarget(), headers,
            validBody(endpoint));
    }

    private Case hostileHeader(Endpoint endpoint) {
        String name = pick(List.of("Idempotency-Key", "Authorization", "X-Edit-Token", "X-Voter-Id", "X-Request-Id",
            "Accept", "Content-Encoding", "Cookie", "Origin", "X-Forwarded-For", "Accept-Language"));
        byte[] value = pick(List.of(
            "x".repeat(10_000).getBytes(StandardCharsets.ISO_8859_1),
            "a".repeat(70_000).getBytes(StandardCharsets.ISO_8859_1),
            new byte[] { 'a', 0x01, 'b', 0x7F },
            new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF },
            "Bearer not.a.token".getBytes(StandardCharsets.ISO_8859_1),
            "Basic YWRtaW46YWRtaW4=".getBytes(StandardCharsets.ISO_8859_1),
            "gzip".getBytes(StandardCharsets.ISO_8859_1),
            "application/xml".getBytes(StandardCharsets.ISO_8859_1),
            "../../etc/passwd".getBytes(StandardCharsets.ISO_8859_1),
            "' OR '1'='1".getBytes(StandardCharsets.ISO_8859_1),
            "1.2.3.4, 999.999.999.999, ::ffff:zz".getBytes(StandardCharsets.ISO_8859_1),
            "".getBytes(StandardCharsets.ISO_8859_1)));
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(without(endpoint.headers(), name));
        headers.add(Map.entry(name, value));
        String shown = value.length <= 40 ? new String(value, StandardCharsets.ISO_8859_1)
            : value.length + " B";
        return new Case(endpoint.name(), name + " header: " + shown, endpoint.method(),
            endpoint.defaultTarget(), headers, validBody(endpoint));
    }

    private Case pathTrick(Endpoint endpoint) {
        String trick = pick(List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fadmin", "..%252f..%252f", "day-1%00",
            "day-1%0d%0aX-Injected:%201", "a".repeat(3000), "%F0%9F%8C%B1", "%C3%28", "day-1;x=y",
            "DAY-1-WHY-MOROCCO-NEEDS-ML", "%20", "..", "%2e", "null", "00000000-0000-0000-0000-000000000000",
            "not-a-uuid", "1%27%20OR%20%271%27%3D%271", "%24%7B7*7%7D", "%3Cscript%3E"));
        if (!endpoint.path().contains("{}")) {
            return new Case(endpoint.name(), "query trick " + trick, endpoint.method(),
                endpoint.defaultTarget() + (endpoint.defaultTarget().contains("?") ? "&" : "?") + "x=" + trick,
                endpoint.headers(), validBody(endpoint));
        }
        return new Case(endpoint.name(), "path trick " + trick, endpoint.method(), endpoint.path().replace("{}", trick),
            endpoint.headers(), validBody(endpoint));
    }

    private Case randomText(Endpoint endpoint) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(400);
        for (int i = 0; i < length; i++) {
            int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x3000);
            if (Character.isSurrogate((char) codePoint)) {
                codePoint = '?';
            }
            text.appendCodePoint(codePoint);
        }
        if (endpoint.validJson() == null) {
            return body(endpoint, "random characters", textBody(endpoint, text.toString()));
        }
        String field = pick(List.copyOf(endpoint.validJson().keySet()));
        return json(endpoint, "random characters in " + field, with(endpoint, field, text.toString()));
    }

    private Case json(Endpoint endpoint, String what, String json) {
        return body(endpoint, what, json.getBytes(StandardCharsets.UTF_8));
    }

    private Case body(Endpoint endpoint, String what, byte[] body) {
        return new Case(endpoint.name(), what, endpoint.method(), endpoint.defaultTarget(), endpoint.headers(), body);
    }

    private static String with(Endpoint endpoint, String field, Object value) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(endpoint.validJson());
        fields.put(field, value);
        return Api.JSON.writeValueAsString(fields);
    }

    private static byte[] validBody(Endpoint endpoint) {
        return endpoint.validJson() == null ? textBody(endpoint, "A quiet line.")
            : Api.JSON.writeValueAsString(endpoint.validJson()).getBytes(StandardCharsets.UTF_8);
    }

    /** A body that is not JSON: a Markdown page with front matter, or a form. */
    private static byte[] textBody(Endpoint endpoint, String text) {
        String body = endpoint.contentType().startsWith("text/markdown")
            ? "---\ncomments: true\ntitle: \"" + text.replace("\"", "'") + "\"\n---\n# Hostile page\n\n" + text + "\n"
            : "token=" + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
        return body.getBytes(StandardCharsets.UTF_8);
    }

    static Map.Entry<String, byte[]> header(String name, String value) {
        return Map.entry(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, byte[]>> without(List<Map.Entry<String, byte[]>> headers, String name) {
        return headers.stream().filter(header -> !header.getKey().equalsIgnoreCase(name)).toList();
    }

    private static byte[] replace(byte[] template, String marker, byte[] bytes) {
        String text = new String(template, StandardCharsets.UTF_8);
        int at = text.indexOf(marker);
        byte[] before = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] after = text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[before.length + bytes.length + after.length];
        System.arraycopy(before, 0, result, 0, before.length);
        System.arraycopy(bytes, 0, result, before.length, bytes.length);
        System.arraycopy(after, 0, result, before.length + bytes.length, after.length);
        return result;
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
