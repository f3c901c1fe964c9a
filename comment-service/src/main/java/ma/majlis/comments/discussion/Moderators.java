package ma.majlis.comments.discussion;

import java.security.Principal;

import ma.majlis.platform.security.MajlisJwt;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import static ma.majlis.platform.web.Problems.problem;

/**
 * The one place that decides who is a moderator: whoever's bearer JWT carries the {@code moderator} role. The
 * gateway passes the token on; it was checked by this service's security filter before any handler runs.
 */
final class Moderators {

    private static final String ROLE = "ROLE_" + MajlisJwt.MODERATOR;

    private Moderators() {
    }

    /** Whether the signed-in principal, if any, moderates. */
    static boolean isModerator(Principal principal) {
        return principal instanceof Authentication authentication && authentication.getAuthorities().stream()
            .anyMatch(authority -> ROLE.equals(authority.getAuthority()));
    }

    /** Completes when the request is a moderator's; else fails with the 401 or 403 problem to answer. */
    static Mono<Void> require(ServerWebExchange exchange) {
        return exchange.getPrincipal()
            .switchIfEmpty(Mono.error(() -> problem(HttpStatus.UNAUTHORIZED, "not-signed-in",
                "Moderator sign-in required", "Moderation needs a moderator's bearer token.")))
            .flatMap(principal -> isModerator(principal) ? Mono.<Void>empty()
                : Mono.error(problem(HttpStatus.FORBIDDEN, "forbidden", "Not a moderator",
                    "Your token does not carry the moderator role.")));
    }
}
