package ma.majlis.comments.discussion;

import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import ma.majlis.platform.web.Problems;
import ma.majlis.comments.discussion.CommentQueries.ArticleRef;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Comment counts for list pages, and each discussion as an Atom feed for people who follow it in a reader. */
@RestController
class CountsAndFeedRoutes {

    static final int MAX_ARTICLES = 100;

    static final int FEED_ENTRIES = 50;

    static final MediaType ATOM = MediaType.parseMediaType("application/atom+xml;charset=UTF-8");

    private final DatabaseClient database;

    private final CommentQueries queries;

    CountsAndFeedRoutes(DatabaseClient database, CommentQueries queries) {
        this.database = database;
        this.queries = queries;
    }

    /** {@code ?articles=a,b,c}: each slug with its number of published comments; unknown slugs count 0. */
    @GetMapping("/api/comment-counts")
    Mono<Map<String, Integer>> counts(@RequestParam(defaultValue = "") String articles) {
        List<String> slugs = Arrays.stream(articles.split(",")).map(String::strip).filter(slug -> !slug.isEmpty())
            .distinct().toList();
        if (slugs.isEmpty() || slugs.size() > MAX_ARTICLES) {
            return Mono.error(Problems.invalidParameter("articles",
                "must list 1 to " + MAX_ARTICLES + " article slugs, separated by commas"));
        }
        return database.sql("select slug, published_count from article where slug = any(:slugs)")
            .bind("slugs", slugs.toArray(String[]::new))
            .map((row, meta) -> Map.entry(row.get("slug", String.class), row.get("published_count", Integer.class)))
            .all()
            .collectList()
            .map(found -> {
                Map<String, Integer> counts = new LinkedHashMap<>();
                slugs.forEach(slug -> counts.put(slug, 0));
                found.forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
                return counts;
            });
    }

    /** The newest published comments of the discussion, as Atom. */
    @GetMapping("/api/articles/{slug}/comments.atom")
    Mono<ResponseEntity<String>> feed(@PathVariable String slug, ServerWebExchange exchange) {
        return queries.article(slug).flatMap(article -> database.sql("""
                select id, author_name, body_html, created_at, coalesce(edited_at, created_at) as updated_at
                  from comment
                 where article_id = :id and status = 'published'
                 order by seq desc
                 limit :entries""")
            .bind("id", article.id())
            .bind("entries", FEED_ENTRIES)
            .map((row, meta) -> new Entry(row.get("id", java.util.UUID.class).toString(),
                row.get("author_name", String.class), row.get("body_html", String.class),
                row.get("created_at", OffsetDateTime.class), row.get("updated_at", OffsetDateTime.class)))
            .all()
            .collectList()
            .map(entries -> ResponseEntity.ok().contentType(ATOM)
                .body(atom(article, entries, exchange.getRequest().getURI().toString()))));
    }

    private record Entry(String id, String author, String html, OffsetDateTime published, OffsetDateTime updated) {
    }

    private static String atom(ArticleRef article, List<Entry> entries, String self) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace("http://www.w3.org/2005/Atom");
            element(xml, "id", "urn:majlis:discussion:" + article.id());
            element(xml, "title", "Discussion: " + article.slug());
            element(xml, "updated", time(entries.isEmpty() ? OffsetDateTime.now(ZoneOffset.UTC)
                : entries.get(0).updated()));
            xml.writeEmptyElement("link");
            xml.writeAttribute("rel", "self");
            xml.writeAttribute("href", self);
            for (Entry entry : entries) {
                xml.writeStartElement("entry");
                element(xml, "id", "urn:majlis:comment:" + entry.id());
                element(xml, "title", "Comment by " + entry.author());
                xml.writeStartElement("author");
                element(xml, "name", entry.author());
                xml.writeEndElement();
                element(xml, "published", time(entry.published()));
                element(xml, "updated", time(entry.updated()));
                xml.writeStartElement("content");
                xml.writeAttribute("type", "html");
                // Sanitised HTML, escaped once more as Atom's html content requires.
                xml.writeCharacters(entry.html());
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("Writing XML to a string cannot fail", ex);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private static String time(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
