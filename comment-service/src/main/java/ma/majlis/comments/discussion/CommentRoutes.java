package ma.majlis.comments.discussion;

import java.net.URI;
import java.util.Locale;
import java.util.UUID;

import ma.majlis.platform.web.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** HTTP face of the discussions: post a comment, read a discussion page by page, read a thread's replies. */
@RestController
class CommentRoutes {

    static final int MAX_LIMIT = 100;

    static final int MAX_KEY_LENGTH = 200;

    private final CommentStore store;

    private final CommentQueries queries;

    private final IdempotentRequests idempotent;

    private final CommentSettings settings;

    private final JsonMapper json;

    private final RequestBodies bodies;

    private final CommentMetrics metrics;

    CommentRoutes(CommentStore store, CommentQueries queries, IdempotentRequests idempotent, CommentSettings settings,
        JsonMapper json, RequestBodies bodies, CommentMetrics metrics) {
        this.bodies = bodies;
        this.metrics = metrics;
        this.store = store;
        this.queries = queries;
        this.idempotent = idempotent;
        this.settings = settings;
        this.json = json;
    }

    /**
     * Posts a comment: {@code {"authorName": "…", "body": "Markdown", "parentId": "…", "email": "…"}}. Under an
     * {@code Idempotency-Key}, repeating the request answers the first answer and stores nothing new.
     */
    @PostMapping(path = "/api/articles/{slug}/comments", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<CommentStore.Posted>> post(@PathVariable String slug, ServerWebExchange exchange,
        @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
        ServerHttpRequest request = exchange.getRequest();
        if (key != null && !validKey(key)) {
            ErrorResponseException invalidKey = DiscussionProblems.invalidIdempotencyKey(MAX_KEY_LENGTH);
            metrics.rejected(invalidKey);
            return Mono.error(invalidKey);
        }
        return bodies.json(request).<ResponseEntity<CommentStore.Posted>>flatMap(body -> {
            CommentInput.Checked checked = CommentInput.check(body, settings);
            CommentInput input = checked.input();
            if (input == null) {
                return Mono.error(DiscussionProblems.invalid(checked.errors()));
            }
            CommentStore.Idempotency idempotency = key == null ? null
                : new CommentStore.Idempotency(key, EditTokens.sha256(slug + "\n" + json.writeValueAsString(input)));
            // A signed-in reader's comment carries their subject, so they can change it without the edit token.
            Mono<CommentStore.Posted> post = exchange.getPrincipal().map(principal -> principal.getName())
                .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(subject -> store.post(slug, input, subject.orElse(null), idempotency))
                .doOnNext(posted -> metrics.created(posted.comment().status()));
            if (idempotency == null) {
                return post.map(CommentRoutes::created);
            }
            return idempotent.previous(idempotency)
                .map(CommentRoutes::created)
                .switchIfEmpty(Mono.defer(() -> post.map(CommentRoutes::created)
                    // Another request under the same key committed first: answer what it answered.
                    .onErrorResume(DuplicateKeyException.class,
                        ex -> idempotent.previous(idempotency).map(CommentRoutes::created))));
        }).doOnError(metrics::rejected);
    }

    private static ResponseEntity<CommentStore.Posted> created(CommentStore.Posted posted) {
        return ResponseEntity.created(URI.create("/api/comments/" + posted.comment().id())).body(posted);
    }

    /** A page of the discussion: top-level comments in the order asked for, each with its first replies. */
    @GetMapping("/api/articles/{slug}/comments")
    Mono<CommentPage> page(@PathVariable String slug, @RequestParam(defaultValue = "oldest") String sort,
        @RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int limit) {
        CommentCursor.Sort order;
        try {
            order = CommentCursor.Sort.valueOf(sort.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            return Mono.error(Problems.invalidParameter("sort", "must be oldest, newest or top"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return Mono.error(Problems.invalidParameter("limit", "must be between 1 and " + MAX_LIMIT));
        }
        CommentCursor after = null;
        if (cursor != null) {
            after = CommentCursor.decode(cursor, order).orElse(null);
            if (after == null) {
                return Mono.error(DiscussionProblems.invalidCursor());
            }
        }
        return queries.page(slug, order, after, limit);
    }

    /** More replies of one thread, oldest first. */
    @GetMapping("/api/comments/{id}/replies")
    Mono<CommentPage> replies(@PathVariable String id, @RequestParam(required = false) @Nullable String cursor,
        @RequestParam(defaultValue = "50") int limit) {
        UUID comment;
        try {
            comment = UUID.fromString(id);
        }
        catch (IllegalArgumentException ex) {
            return Mono.error(DiscussionProblems.noComment(id));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return Mono.error(Problems.invalidParameter("limit", "must be between 1 and " + MAX_LIMIT));
        }
        CommentCursor after = null;
        if (cursor != null) {
            after = CommentCursor.decode(cursor, CommentCursor.Sort.OLDEST).orElse(null);
            if (after == null) {
                return Mono.error(DiscussionProblems.invalidCursor());
            }
        }
        return queries.replies(comment, after, limit);
    }

    private static boolean validKey(String key) {
        return !key.isEmpty() && key.length() <= MAX_KEY_LENGTH && key.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }
}
