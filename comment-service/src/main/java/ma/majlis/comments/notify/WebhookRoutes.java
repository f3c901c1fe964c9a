package ma.majlis.comments.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import ma.majlis.comments.discussion.JsonFields;
import ma.majlis.comments.discussion.RequestBodies;
import ma.majlis.platform.web.Problems.FieldError;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks, for editors and moderators (the security chain checks the role): register one, list them with their
 * state, remove one, and send a failing one's dead deliveries again.
 */
@RestController
class WebhookRoutes {

    static final int MAX_URL = 2000;

    static final int MAX_ARTICLES = 100;

    /** The importer's slugs: lower-case words joined by hyphens. */
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    private static final int MAX_SLUG = 120;

    private final Webhooks webhooks;

    private final WebhookAddresses addresses;

    private final RequestBodies bodies;

    WebhookRoutes(Webhooks webhooks, WebhookAddresses addresses, RequestBodies bodies) {
        this.webhooks = webhooks;
        this.addresses = addresses;
        this.bodies = bodies;
    }

    /**
     * {@code {"url": "https://…", "secret": "…", "articles": ["slug", …]}}: {@code secret} (16 to 200 characters,
     * or a Standard Webhooks {@code whsec_…} key) is drawn when left out, and then shown once, in this answer;
     * {@code articles} left out means every article.
     */
    @PostMapping(path = "/api/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Webhooks.View>> register(ServerWebExchange exchange) {
        return bodies.json(exchange.getRequest()).flatMap(json -> {
            List<FieldError> errors = new ArrayList<>();
            URI url = url(json, errors);
            String given = JsonFields.text(json, "secret", errors);
            if (given != null && !WebhookSignature.validSecret(given)) {
                errors.add(new FieldError("secret", "must be 16 to 200 printable characters, or a whsec_ key"));
            }
            List<String> articles = articles(json, errors);
            if (!errors.isEmpty() || url == null) {
                return Mono.error(NotificationProblems.invalidWebhook(errors));
            }
            String secret = given != null ? given : WebhookSignature.newSecret();
            return addresses.check(url)
                .then(exchange.getPrincipal().map(principal -> principal.getName()).map(java.util.Optional::of)
                    .defaultIfEmpty(java.util.Optional.empty()))
                .flatMap(by -> webhooks.register(url.toString(), secret, articles, by.orElse(null)))
                .map(view -> ResponseEntity.created(URI.create("/api/webhooks/" + view.id()))
                    .body(given != null ? view : withSecret(view, secret)));
        });
    }

    private static Webhooks.View withSecret(Webhooks.View view, String secret) {
        return new Webhooks.View(view.id(), view.url(), view.articles(), view.status(), view.createdAt(),
            view.failingSince(), view.lastError(), view.lastSuccessAt(), view.pending(), view.dead(), secret);
    }

    @GetMapping("/api/webhooks")
    Flux<Webhooks.View> all() {
        return webhooks.all();
    }

    @GetMapping("/api/webhooks/{id}")
    Mono<Webhooks.View> one(@PathVariable String id) {
        return parse(id).flatMap(webhook -> webhooks.one(webhook)
            .switchIfEmpty(Mono.error(() -> NotificationProblems.noWebhook(id))));
    }

    @DeleteMapping("/api/webhooks/{id}")
    Mono<ResponseEntity<Void>> remove(@PathVariable String id) {
        return parse(id).flatMap(webhooks::remove)
            .flatMap(removed -> removed ? Mono.just(ResponseEntity.noContent().<Void>build())
                : Mono.error(NotificationProblems.noWebhook(id)));
    }

    /** Sends the webhook's dead deliveries again and clears its failing mark: {@code {"requeued": n}}. */
    @PostMapping(path = "/api/webhooks/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Long>>> retry(@PathVariable String id) {
        return parse(id).flatMap(webhooks::retry)
            .map(requeued -> ResponseEntity.accepted().body(Map.of("requeued", requeued)))
            .switchIfEmpty(Mono.error(() -> NotificationProblems.noWebhook(id)));
    }

    private static Mono<UUID> parse(String id) {
        try {
            return Mono.just(UUID.fromString(id));
        }
        catch (IllegalArgumentException ex) {
            return Mono.error(NotificationProblems.noWebhook(id));
        }
    }

    private static @Nullable URI url(JsonNode json, List<FieldError> errors) {
        String text = JsonFields.text(json, "url", errors);
        if (text == null) {
            if (errors.stream().noneMatch(error -> error.field().equals("url"))) {
                errors.add(new FieldError("url", "is required: where Majlis posts the events"));
            }
            return null;
        }
        try {
            URI url = new URI(text.strip());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (text.length() > MAX_URL || !(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null
                || url.getRawUserInfo() != null || url.getRawFragment() != null) {
                errors.add(new FieldError("url", "must be an http or https address with a host, at most " + MAX_URL
                    + " characters, without user information or fragment"));
                return null;
            }
            return url;
        }
        catch (URISyntaxException ex) {
            errors.add(new FieldError("url", "is not a valid address: " + ex.getReason()));
            return null;
        }
    }

    private static @Nullable List<String> articles(JsonNode json, List<FieldError> errors) {
        JsonNode articles = json.get("articles");
        if (articles == null || articles.isNull()) {
            return null;
        }
        if (!articles.isArray() || articles.isEmpty() || articles.size() > MAX_ARTICLES) {
            errors.add(new FieldError("articles", "must be a list of 1 to " + MAX_ARTICLES
                + " article slugs, or left out for every article"));
            return null;
        }
        List<String> slugs = new ArrayList<>();
        for (JsonNode slug : articles) {
            if (!slug.isString() || slug.asString().length() > MAX_SLUG || !SLUG.matcher(slug.asString()).matches()) {
                errors.add(new FieldError("articles", "must hold article slugs such as ml-dl-morocco-day-1"));
                return null;
            }
            slugs.add(slug.asString());
        }
        return List.copyOf(slugs);
    }
}
