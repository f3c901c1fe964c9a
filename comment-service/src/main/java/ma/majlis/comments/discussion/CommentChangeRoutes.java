package ma.majlis.comments.discussion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.Problems.FieldError;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One comment: read it, edit or delete it (its author with the edit token, within the window; a moderator at any
 * time), moderate it, vote on it.
 */
@RestController
class CommentChangeRoutes {

    static final String EDIT_TOKEN = "X-Edit-Token";

    static final String VOTER = "X-Voter-Id";

    private static final Pattern VOTER_ID = Pattern.compile("[A-Za-z0-9._-]{8,100}");

    private final CommentChanges changes;

    private final CommentQueries queries;

    private final CommentSettings settings;

    private final RequestBodies bodies;

    CommentChangeRoutes(CommentChanges changes, CommentQueries queries, CommentSettings settings,
        RequestBodies bodies) {
        this.changes = changes;
        this.queries = queries;
        this.settings = settings;
        this.bodies = bodies;
    }

    @GetMapping("/api/comments/{id}")
    Mono<CommentView> one(@PathVariable String id) {
        return parse(id).flatMap(queries::one);
    }

    /**
     * {@code {"body": "…"}} edits the text (author or moderator); {@code {"status": "published" | "hidden"}}
     * moderates (moderator only).
     */
    @PatchMapping(path = "/api/comments/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<CommentEvent> change(@PathVariable String id, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        return parse(id).flatMap(comment -> bodies.json(request).flatMap(json -> {
            JsonNode status = json.get("status");
            if (status != null && json.get("body") != null) {
                return Mono.error(DiscussionProblems.invalid(List.of(new FieldError("status",
                    "and body cannot change in one request: moderate and edit separately"))));
            }
            if (status != null) {
                if (!status.isString() || !CommentChanges.moderationStatuses().contains(status.asString())) {
                    return Mono.error(DiscussionProblems.invalid(List.of(new FieldError("status",
                        "must be published or hidden; delete with DELETE"))));
                }
                return Moderators.require(exchange).then(changes.moderate(comment, status.asString()));
            }
            List<FieldError> errors = new ArrayList<>();
            String body = CommentInput.checkedBody(json, settings, errors);
            if (body == null) {
                return Mono.error(DiscussionProblems.invalid(errors));
            }
            return actor(exchange).flatMap(actor -> changes.edit(comment, actor, body));
        }));
    }

    @DeleteMapping("/api/comments/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
        return parse(id).flatMap(comment -> actor(exchange).flatMap(actor -> changes.delete(comment, actor)))
            .thenReturn(ResponseEntity.noContent().build());
    }

    /** {@code {"value": 1 | -1 | 0}} from the voter named by {@code X-Voter-Id}; 0 takes a vote back. */
    @PostMapping(path = "/api/comments/{id}/votes", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Integer>> vote(@PathVariable String id, ServerHttpRequest request) {
        String voter = request.getHeaders().getFirst(VOTER);
        if (voter == null || !VOTER_ID.matcher(voter).matches()) {
            return Mono.error(Problems.invalidParameter(VOTER,
                "must name the voter: 8 to 100 letters, digits, dots, hyphens or underscores (a random id the browser"
                    + " keeps)"));
        }
        return parse(id).flatMap(comment -> bodies.json(request).flatMap(json -> {
            JsonNode value = json.get("value");
            if (value == null || !value.isInt() || Math.abs(value.asInt()) > 1) {
                return Mono.error(DiscussionProblems.invalid(List.of(new FieldError("value",
                    "must be 1 (up), -1 (down) or 0 (take the vote back)"))));
            }
            return changes.vote(comment, voter, value.asInt()).map(score -> Map.of("score", score));
        }));
    }

    /**
     * A moderator or a signed-in reader when a bearer token was sent (and checked), else the author proving it with
     * the edit token.
     */
    private Mono<CommentChanges.Actor> actor(ServerWebExchange exchange) {
        String token = exchange.getRequest().getHeaders().getFirst(EDIT_TOKEN);
        return exchange.getPrincipal()
            .<CommentChanges.Actor>map(principal -> Moderators.isModerator(principal) ? new CommentChanges.Moderator()
                : new CommentChanges.Owner(principal.getName()))
            .switchIfEmpty(Mono.defer(() -> token == null || token.isBlank()
                ? Mono.error(Problems.problem(HttpStatus.UNAUTHORIZED, "edit-token-required", "Edit token required",
                    "Send the edit token you got when you posted the comment as " + EDIT_TOKEN
                        + ", or sign in as you were when you posted it."))
                : Mono.just(new CommentChanges.Author(token.strip()))));
    }

    private static Mono<UUID> parse(String id) {
        try {
            return Mono.just(UUID.fromString(id));
        }
        catch (IllegalArgumentException ex) {
            return Mono.error(DiscussionProblems.noComment(id));
        }
    }
}
