package ma.majlis.comments.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ma.majlis.comments.discussion.EmailAddress;
import ma.majlis.comments.discussion.RequestBodies;
import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.Problems.FieldError;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Following a discussion by e-mail: the request (double opt-in), and the pages the mails link to, which confirm
 * and end a subscription without signing in.
 */
@RestController
class SubscriptionRoutes {

    static final String CONFIRM = "/api/subscriptions/confirm";

    static final String UNSUBSCRIBE = "/api/subscriptions/unsubscribe";

    private final Subscriptions subscriptions;

    private final RequestBodies bodies;

    SubscriptionRoutes(Subscriptions subscriptions, RequestBodies bodies) {
        this.subscriptions = subscriptions;
        this.bodies = bodies;
    }

    /**
     * {@code {"email": "…", "mode": "immediate" | "digest"}}: sends a confirmation link to the address. The answer
     * is the same whether the address already follows the discussion or not.
     */
    @PostMapping(path = "/api/articles/{slug}/subscriptions", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, String>>> subscribe(@PathVariable String slug, ServerWebExchange exchange) {
        return bodies.json(exchange.getRequest()).flatMap(json -> {
            List<FieldError> errors = new ArrayList<>();
            String address = address(json, errors);
            Subscriptions.Mode mode = mode(json, errors);
            if (!errors.isEmpty() || address == null || mode == null) {
                return Mono.error(NotificationProblems.invalidSubscription(errors));
            }
            return exchange.getPrincipal().map(principal -> principal.getName())
                .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(subject -> subscriptions.followDiscussion(slug, address, mode, subject.orElse(null)))
                .thenReturn(ResponseEntity.accepted().body(Map.of("status", "confirmation-sent",
                    "detail", "A link to confirm is on its way to " + address + ". Nothing else is sent to it "
                        + "until that link is followed.")));
        });
    }

    private static @Nullable String address(JsonNode json, List<FieldError> errors) {
        JsonNode email = json.get("email");
        String address = email != null && email.isString() ? EmailAddress.normalise(email.asString()) : null;
        if (address == null) {
            errors.add(new FieldError("email", "must be an e-mail address such as amina@example.ma"));
        }
        return address;
    }

    private static Subscriptions.@Nullable Mode mode(JsonNode json, List<FieldError> errors) {
        JsonNode mode = json.get("mode");
        if (mode == null || mode.isNull()) {
            return Subscriptions.Mode.IMMEDIATE;
        }
        if (mode.isString()) {
            for (Subscriptions.Mode known : Subscriptions.Mode.values()) {
                if (known.column().equals(mode.asString())) {
                    return known;
                }
            }
        }
        errors.add(new FieldError("mode", "must be immediate (a mail per comment) or digest (one mail an hour)"));
        return null;
    }

    /** The confirmation link: a page with one button, so that only the subscriber's click confirms. */
    @GetMapping(CONFIRM)
    Mono<ResponseEntity<String>> confirmPage(@RequestParam(defaultValue = "") String token,
        ServerWebExchange exchange) {
        return subscriptions.byConfirmToken(token)
            .filter(found -> found.status().equals("pending"))
            .map(found -> SubscriptionPages.page(HttpStatus.OK, "Confirm your subscription",
                what(found) + " Confirm, and Majlis starts sending them.", CONFIRM, token, "Confirm"))
            .switchIfEmpty(Mono.defer(() -> invalidLink(exchange)));
    }

    @PostMapping(path = CONFIRM, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<ResponseEntity<String>> confirm(ServerWebExchange exchange) {
        return token(exchange)
            .flatMap(subscriptions::confirm)
            .map(found -> SubscriptionPages.message(HttpStatus.OK, "Subscription confirmed",
                what(found) + " Every mail has a link to stop them."))
            .switchIfEmpty(Mono.defer(() -> invalidLink(exchange)));
    }

    /** The unsubscribe link in every mail: a page with one button. */
    @GetMapping(UNSUBSCRIBE)
    Mono<ResponseEntity<String>> unsubscribePage(@RequestParam(defaultValue = "") String token,
        ServerWebExchange exchange) {
        return subscriptions.byUnsubscribeToken(token)
            .map(found -> found.status().equals("unsubscribed")
                ? SubscriptionPages.message(HttpStatus.OK, "Unsubscribed", "You get no more mails from this "
                    + "subscription. " + about(found))
                : SubscriptionPages.page(HttpStatus.OK, "Unsubscribe", "Stop these mails? " + what(found),
                    UNSUBSCRIBE, token, "Unsubscribe"))
            .switchIfEmpty(Mono.defer(() -> invalidLink(exchange)));
    }

    /**
     * Ends the subscription: from the page's button, or from a mail client's one-click unsubscribe (RFC 8058), which
     * posts {@code List-Unsubscribe=One-Click} to the link itself.
     */
    @PostMapping(path = UNSUBSCRIBE, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<ResponseEntity<String>> unsubscribe(ServerWebExchange exchange) {
        return token(exchange)
            .flatMap(subscriptions::unsubscribe)
            .map(found -> SubscriptionPages.message(HttpStatus.OK, "Unsubscribed",
                "You get no more mails from this subscription. " + about(found)))
            .switchIfEmpty(Mono.defer(() -> invalidLink(exchange)));
    }

    /** The token from the form, else from the link's query (a one-click POST goes to the link as it is). */
    private static Mono<String> token(ServerWebExchange exchange) {
        String query = exchange.getRequest().getQueryParams().getFirst("token");
        return exchange.getFormData()
            .mapNotNull(form -> form.getFirst("token") != null ? form.getFirst("token") : query)
            .switchIfEmpty(Mono.justOrEmpty(query))
            .filter(token -> !token.isBlank());
    }

    private static String what(Subscriptions.Found found) {
        String which = found.kind().equals("replies") ? "replies to your comment on \u201c" + found.articleTitle()
            + "\u201d" : "new comments on \u201c" + found.articleTitle() + "\u201d";
        return "This is for mails about " + which + (found.mode().equals("digest") ? ", gathered in a digest."
            : ", one mail each.");
    }

    private static String about(Subscriptions.Found found) {
        return "(It was for \u201c" + found.articleTitle() + "\u201d.)";
    }

    /**
     * A link that is not (or no longer) valid: a page for a person whose browser asks for one, a problem for any
     * other client (a mail provider's one-click POST, a script).
     */
    private static Mono<ResponseEntity<String>> invalidLink(ServerWebExchange exchange) {
        String detail = "It was used already, or the subscription ended, or the link was cut short by the mail "
            + "program. Subscribe again from the article's page if you wish.";
        boolean person = exchange.getRequest().getHeaders().getAccept().stream()
            .anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
        if (person) {
            return Mono.just(SubscriptionPages.message(HttpStatus.NOT_FOUND, "This link is not valid", detail));
        }
        return Mono.error(Problems.problem(HttpStatus.NOT_FOUND, "link-not-valid", "This link is not valid",
            detail));
    }
}
