package ma.majlis.content.articles;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;

import ma.majlis.content.importing.ImportProblem;
import ma.majlis.content.importing.ImportedPage;
import ma.majlis.content.importing.MojibakeRepair;
import ma.majlis.content.importing.PageImporter;
import ma.majlis.content.importing.Utf8;
import ma.majlis.content.rendering.MarkdownRenderer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** HTTP face of the articles: lists, single articles, and pages posted as MkDocs Markdown. */
@RestController
@RequestMapping("/api/articles")
class ArticleRoutes {

    static final int MAX_LIMIT = 100;

    static final String MARKDOWN = "text/markdown";

    private final ArticleQueries queries;

    private final ArticleStore store;

    private final PageImporter importer;

    private final MarkdownRenderer renderer;

    private final ArticleSettings settings;

    ArticleRoutes(ArticleQueries queries, ArticleStore store, PageImporter importer, MarkdownRenderer renderer,
        ArticleSettings settings) {
        this.queries = queries;
        this.store = store;
        this.importer = importer;
        this.renderer = renderer;
        this.settings = settings;
    }

    @GetMapping
    Mono<ArticlePage> list(@RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return Mono.error(ArticleProblems.invalidLimit(limit, MAX_LIMIT));
        }
        return queries.newest(limit);
    }

    @GetMapping("/{slug}")
    Mono<ResponseEntity<ArticleView>> one(@PathVariable String slug,
        @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        return queries.bySlug(slug)
            .switchIfEmpty(Mono.error(() -> ArticleProblems.notFound(slug)))
            .flatMap(article -> switch (article.status()) {
                case "published" -> Mono.just(article);
                case "withdrawn" -> Mono.error(ArticleProblems.withdrawn(slug));
                default -> Mono.error(ArticleProblems.notFound(slug));
            })
            .map(article -> {
                String etag = etag(article.version());
                if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
                    return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).<ArticleView>build();
                }
                return ResponseEntity.ok().eTag(etag).body(article);
            });
    }

    /** A page exactly as an MkDocs author writes it; the file name, if given, names the article. */
    @PostMapping(consumes = MARKDOWN)
    Mono<ResponseEntity<ImportResult>> create(ServerHttpRequest request) {
        String fileName = fileName(request.getHeaders());
        return DataBufferUtils.join(request.getBody(), settings.maxPageBytes())
            .onErrorMap(DataBufferLimitException.class, ex -> ArticleProblems.tooLarge(settings.maxPageBytes()))
            .map(buffer -> {
                try {
                    ByteBuffer bytes = ByteBuffer.allocate(buffer.readableByteCount());
                    buffer.toByteBuffer(bytes);
                    return Utf8.decode(bytes).orElseThrow(ArticleProblems::notUtf8);
                }
                finally {
                    DataBufferUtils.release(buffer);
                }
            })
            .filter(page -> !page.isBlank())
            .switchIfEmpty(Mono.error(ArticleProblems::emptyPage))
            .flatMap(source -> {
                ImportedPage page;
                try {
                    page = importer.read(fileName, source);
                }
                catch (ImportProblem problem) {
                    return Mono.error(ArticleProblems.invalidPage(problem.field(), problem.getMessage()));
                }
                // The unique slug decides, so two concurrent posts of one page cannot both succeed.
                return store.create(page, renderer.render(page.markdown()), source)
                    .onErrorMap(DuplicateKeyException.class, ex -> ArticleProblems.exists(page.slug()))
                    .map(saved -> ResponseEntity.created(URI.create("/api/articles/" + saved.slug()))
                        .eTag(etag(saved.version()))
                        .body(new ImportResult(saved.id(), saved.slug(), saved.version(), saved.status(),
                            saved.outcome(), page.repairs())));
            });
    }

    /** What a posted page became, and what mojibake was repaired on the way. */
    record ImportResult(java.util.UUID id, String slug, int version, String status, ArticleStore.Outcome outcome,
        List<MojibakeRepair.Repair> repairs) {
    }

    private static @Nullable String fileName(HttpHeaders headers) {
        String disposition = headers.getFirst(HttpHeaders.CONTENT_DISPOSITION);
        if (disposition == null) {
            return null;
        }
        try {
            return ContentDisposition.parse(disposition).getFilename();
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    static String etag(int version) {
        return "\"v" + version + "\"";
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
