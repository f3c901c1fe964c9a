package ma.majlis.content.articles;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP face of the articles: lists, single articles, and pages written as MkDocs Markdown or JSON. Writes are for
 * editors; {@link SecurityConfiguration} checks that in front of every one of them.
 */
@RestController
@RequestMapping("/api/articles")
class ArticleRoutes {

    static final int MAX_LIMIT = 100;

    static final String MARKDOWN = "text/markdown";

    static final int MAX_QUERY_LENGTH = 200;

    static final int MAX_TAGS = 10;

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() { };

    private final ArticleQueries queries;

    private final ArticleStore store;

    private final PageImporter importer;

    private final MarkdownRenderer renderer;

    private final ArticleSettings settings;

    private final JsonMapper json;

    ArticleRoutes(ArticleQueries queries, ArticleStore store, PageImporter importer, MarkdownRenderer renderer,
        ArticleSettings settings, JsonMapper json) {
        this.json = json;
        this.queries = queries;
        this.store = store;
        this.importer = importer;
        this.renderer = renderer;
        this.settings = settings;
    }

    /** Published articles, newest first, or best match first when {@code q} is given. */
    @GetMapping
    Mono<ArticlePage> list(@RequestParam(defaultValue = "20") int limit,
        @RequestParam(required = false) @Nullable String cursor,
        @RequestParam(required = false) @Nullable String series,
        @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
        @RequestParam(required = false) @Nullable String q) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return Mono.error(ArticleProblems.invalidLimit(limit, MAX_LIMIT));
        }
        String query = q == null || q.isBlank() ? null : q.strip();
        if (query != null && query.length() > MAX_QUERY_LENGTH) {
            return Mono.error(ArticleProblems.invalidParameter("q", "must be at most " + MAX_QUERY_LENGTH
                + " characters"));
        }
        List<String> tagList = tags == null ? List.of()
            : tags.stream().map(String::strip).filter(tag -> !tag.isEmpty()).distinct().toList();
        if (tagList.size() > MAX_TAGS) {
            return Mono.error(ArticleProblems.invalidParameter("tag", "may be given at most " + MAX_TAGS + " times"));
        }
        ArticleCursor after = null;
        if (cursor != null) {
            after = ArticleCursor.decode(cursor).orElse(null);
            if (after == null || after.ranked() != (query != null)) {
                return Mono.error(ArticleProblems.invalidCursor());
            }
        }
        String seriesName = series == null || series.isBlank() ? null : series.strip();
        return queries.list(new ArticleFilter(seriesName, tagList, query), after, limit);
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
    @PostMapping(consumes = MARKDOWN, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<ImportResult>> create(ServerHttpRequest request) {
        String fileName = fileName(request.getHeaders());
        return text(request).flatMap(source -> create(read(() -> importer.read(fileName, source)), source));
    }

    /** A page as JSON: {@code markdown}, optionally {@code slug}, and the front matter's keys as fields. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<ImportResult>> createFromJson(ServerHttpRequest request) {
        return text(request).flatMap(source -> create(read(() -> importer.fromFields(fields(source))), source));
    }

    private Mono<ResponseEntity<ImportResult>> create(Mono<ImportedPage> read, String source) {
        return read.flatMap(page -> store.create(page, renderer.render(page.markdown()), source)
            // The unique slug decides, so two concurrent posts of one page cannot both succeed.
            .onErrorMap(DuplicateKeyException.class, ex -> ArticleProblems.exists(page.slug()))
            .map(saved -> ResponseEntity.created(URI.create("/api/articles/" + saved.slug()))
                .eTag(etag(saved.version()))
                .body(ImportResult.of(saved, page))));
    }

    /**
     * Replaces the article with a new version of its page, as Markdown. {@code If-Match} must name the version
     * the editor changed ({@code *} for any), so nobody overwrites a change they have not seen.
     */
    @PutMapping(path = "/{slug}", consumes = MARKDOWN, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<ImportResult>> replace(@PathVariable String slug, ServerHttpRequest request) {
        return text(request).flatMap(source -> replace(slug, request, read(() -> importer.read(slug, source)), source));
    }

    /** Replaces the article with a new version given as JSON; see {@link #replace(String, ServerHttpRequest)}. */
    @PutMapping(path = "/{slug}", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<ImportResult>> replaceFromJson(@PathVariable String slug, ServerHttpRequest request) {
        return text(request).flatMap(source -> replace(slug, request, read(() -> {
            Map<String, Object> fields = new LinkedHashMap<>(fields(source));
            Object given = fields.putIfAbsent("slug", slug);
            if (given != null && !given.equals(slug)) {
                throw new ImportProblem("slug", "An article keeps its slug: the body says '" + given
                    + "' but the address is '" + slug + "'. Post a new article to use another slug.");
            }
            return importer.fromFields(fields);
        }), source));
    }

    private Mono<ResponseEntity<ImportResult>> replace(String slug, ServerHttpRequest request,
        Mono<ImportedPage> read, String source) {
        return precondition(request.getHeaders(), true)
            .flatMap(expected -> read.flatMap(page -> store.replace(slug, expected.orElse(null), page,
                    renderer.render(page.markdown()), source)
                .map(saved -> ResponseEntity.ok().eTag(etag(saved.version())).body(ImportResult.of(saved, page)))))
            .onErrorMap(ArticleStore.NoSuchArticle.class, ex -> ArticleProblems.notFound(slug))
            .onErrorMap(ArticleStore.VersionMismatch.class, ex -> ArticleProblems.stale(slug, etag(ex.current())));
    }

    /** Withdraws the article: its address then answers 410 and subscribers hear that it is gone. */
    @DeleteMapping("/{slug}")
    Mono<ResponseEntity<Void>> withdraw(@PathVariable String slug, ServerHttpRequest request) {
        return precondition(request.getHeaders(), false)
            .flatMap(expected -> store.withdraw(slug, expected.orElse(null)))
            .map(saved -> ResponseEntity.noContent().eTag(etag(saved.version())).<Void>build())
            .onErrorMap(ArticleStore.NoSuchArticle.class, ex -> ArticleProblems.notFound(slug))
            .onErrorMap(ArticleStore.VersionMismatch.class, ex -> ArticleProblems.stale(slug, etag(ex.current())));
    }

    /** The request body as text, within the size limit, or the problem that it is not. */
    private Mono<String> text(ServerHttpRequest request) {
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
            .switchIfEmpty(Mono.error(ArticleProblems::emptyPage));
    }

    private Map<String, Object> fields(String source) {
        JsonNode tree;
        try {
            tree = json.readTree(source);
        }
        catch (JacksonException ex) {
            throw ArticleProblems.invalidJson(ex.getOriginalMessage());
        }
        if (!tree.isObject()) {
            throw ArticleProblems.invalidJson("the body must be a JSON object with at least a 'markdown' field");
        }
        return json.convertValue(tree, FIELDS);
    }

    private static Mono<ImportedPage> read(Supplier<ImportedPage> reading) {
        return Mono.fromSupplier(reading)
            .onErrorMap(ImportProblem.class, problem -> ArticleProblems.invalidPage(problem.field(),
                problem.getMessage()));
    }

    /**
     * The version {@code If-Match} names: empty for {@code *}. A missing header is an error only when
     * {@code required}; a tag this service never wrote cannot match, so it is a stale version.
     */
    private static Mono<Optional<Integer>> precondition(HttpHeaders headers, boolean required) {
        List<String> tags;
        try {
            tags = headers.getIfMatch();
        }
        catch (IllegalArgumentException ex) {
            return Mono.just(Optional.of(-1));
        }
        if (tags.isEmpty()) {
            return required ? Mono.error(ArticleProblems.preconditionRequired()) : Mono.just(Optional.empty());
        }
        if (tags.contains("*")) {
            return Mono.just(Optional.empty());
        }
        for (String tag : tags) {
            // If-Match compares strongly: a weak W/"v3" never matches.
            if (tag.matches("\"v\\d{1,9}\"")) {
                return Mono.just(Optional.of(Integer.valueOf(tag.substring(2, tag.length() - 1))));
            }
        }
        return Mono.just(Optional.of(-1));
    }

    /** What a posted page became, and what mojibake was repaired on the way. */
    record ImportResult(UUID id, String slug, int version, String status, ArticleStore.Outcome outcome,
        List<MojibakeRepair.Repair> repairs) {

        static ImportResult of(ArticleStore.Saved saved, ImportedPage page) {
            return new ImportResult(saved.id(), saved.slug(), saved.version(), saved.status(), saved.outcome(),
                page.repairs());
        }
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
