package ma.majlis.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small site laid out like one MkDocs Material builds, with the project's comments partial in its pages as
 * Material would render it, a {@code document$} that announces each page, instant navigation that swaps the
 * content without a reload, and site styles hostile enough to break a widget that shared them.
 */
final class MkDocsLikeSite implements AutoCloseable {

    private static final String STYLES = """
        * { font-size: 40px !important; color: #c00 !important; }
        button, input, textarea { display: none !important; }
        h2 { text-transform: uppercase; letter-spacing: 1em; }
        """;

    /** Material's document$ and instant navigation, reduced to what the partial relies on. */
    private static final String INSTANT = """
        (function () {
          var subscribers = [];
          window.document$ = {
            subscribe: function (fn) { subscribers.push(fn); fn(); },
            next: function () { subscribers.forEach(function (fn) { fn(); }); }
          };
          document.addEventListener("click", function (event) {
            var link = event.target.closest("a[data-instant]");
            if (!link) { return; }
            event.preventDefault();
            fetch(link.href).then(function (r) { return r.text(); }).then(function (html) {
              var next = new DOMParser().parseFromString(html, "text/html");
              document.querySelector(".md-content").replaceWith(next.querySelector(".md-content"));
              document.title = next.title;
              history.pushState({}, "", link.href);
              window.document$.next();
            });
          });
        })();
        """;

    private final HttpServer server;

    private final String partial;

    MkDocsLikeSite(int port, String gateway) {
        try {
            String template = Files.readString(StackLaunch.HOME.resolve("docs/mkdocs/overrides/partials/comments.html"));
            this.partial = template.replaceAll("(?s)\\{#-.*?-#}", "")
                .replaceAll("\\{%[^%]*%}", "")
                .replace("{{ lang.t(\"meta.comments\") }}", "Comments")
                .replace("https://comments.example.org", gateway);
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, String[]> pages = Map.of(
            "/day-3-computer-vision-for-agriculture/", new String[] { "Day 3: Computer Vision for Agriculture",
                "/day-2-darija-and-tamazight-nlp/", "Day 2: Darija and Tamazight in NLP" },
            "/day-2-darija-and-tamazight-nlp/", new String[] { "Day 2: Darija and Tamazight in NLP",
                "/day-3-computer-vision-for-agriculture/", "Day 3: Computer Vision for Agriculture" });
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String[] page = pages.get(path);
            if (path.equals("/assets/site.css")) {
                send(exchange, "text/css", STYLES);
            }
            else if (path.equals("/assets/instant.js")) {
                send(exchange, "text/javascript", INSTANT);
            }
            else if (page != null) {
                send(exchange, "text/html", page(page[0], page[1], page[2]));
            }
            else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    private String page(String title, String nextPath, String nextTitle) {
        return """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>%s - ML &amp; DL Morocco Challenges</title>
              <link rel="stylesheet" href="/assets/site.css">
              <script src="/assets/instant.js"></script>
            </head>
            <body data-md-color-scheme="default">
              <div class="md-container">
                <main class="md-main">
                  <div class="md-content" data-md-component="content">
                    <article class="md-content__inner md-typeset">
                      <h1>%s</h1>
                      <p>Next: <a data-instant href="%s">%s</a></p>
                      %s
                    </article>
                  </div>
                </main>
              </div>
            </body>
            </html>
            """.formatted(title, title, nextPath, nextTitle, partial);
    }

    private static void send(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
