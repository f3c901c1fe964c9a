package ma.majlis.comments.notify;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The small pages a subscriber's links open: no script, nothing from elsewhere, a form that posts back to the same
 * address (a mail scanner that fetches the link changes nothing; the subscriber's click does).
 */
final class SubscriptionPages {

    /** Nothing runs, nothing loads, and the only place a form may post to is Majlis itself. */
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    private SubscriptionPages() {
    }

    /** A page with a heading, a paragraph and, when {@code button} is given, a form posting the token back. */
    static ResponseEntity<String> page(HttpStatus status, String heading, String text, String action,
        String token, String button) {
        StringBuilder html = new StringBuilder("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>%s · Majlis</title>
            <style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}
            button{font:inherit;padding:.5rem 1.2rem;cursor:pointer}
            @media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style>
            </head><body><main><h1>%s</h1><p>%s</p>
            """.formatted(escape(heading), escape(heading), escape(text)));
        if (!button.isEmpty()) {
            html.append("<form method=\"post\" action=\"").append(escape(action)).append("\">")
                .append("<input type=\"hidden\" name=\"token\" value=\"").append(escape(token)).append("\">")
                .append("<button type=\"submit\">").append(escape(button)).append("</button></form>\n");
        }
        html.append("</main></body></html>\n");
        return ResponseEntity.status(status)
            .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .header("Content-Security-Policy", POLICY)
            .header(HttpHeaders.CACHE_CONTROL, "no-store")
            // Not no-referrer: with it a browser posts the form with "Origin: null", which no CORS policy allows.
            // same-origin still keeps the link's token from any other site.
            .header("Referrer-Policy", "same-origin")
            .body(html.toString());
    }

    static ResponseEntity<String> message(HttpStatus status, String heading, String text) {
        return page(status, heading, text, "", "", "");
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }
}
