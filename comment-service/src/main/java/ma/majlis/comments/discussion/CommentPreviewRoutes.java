package ma.majlis.comments.discussion;

import java.util.ArrayList;
import java.util.List;

import ma.majlis.platform.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Shows a reader what their comment will look like before they post it: the body rendered and sanitised exactly
 * as a posted comment's would be. Nothing is stored, nothing is announced.
 */
@RestController
class CommentPreviewRoutes {

    private final CommentRenderer renderer;

    private final CommentSettings settings;

    private final RequestBodies bodies;

    CommentPreviewRoutes(CommentRenderer renderer, CommentSettings settings, RequestBodies bodies) {
        this.renderer = renderer;
        this.settings = settings;
        this.bodies = bodies;
    }

    /** What a preview answers: the HTML a comment with this body would show. */
    record Preview(String bodyHtml) {
    }

    /** {@code {"body": "Markdown"}} answers {@code {"bodyHtml": "…"}}, or the problem posting it would meet. */
    @PostMapping(path = "/api/comment-previews", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Preview> preview(ServerWebExchange exchange) {
        return bodies.json(exchange.getRequest()).flatMap(json -> {
            List<Problems.FieldError> errors = new ArrayList<>();
            String body = CommentInput.checkedBody(json, settings, errors);
            if (body == null) {
                return Mono.error(DiscussionProblems.invalid(errors));
            }
            return Mono.fromCallable(() -> new Preview(renderer.render(body)));
        });
    }
}
