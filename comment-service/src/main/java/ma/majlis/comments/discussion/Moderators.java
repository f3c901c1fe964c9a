package ma.majlis.comments.discussion;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;

import static ma.majlis.platform.web.Problems.problem;

/**
 * The one place that decides who is a moderator: whoever sends {@code Authorization: Bearer <token>} with the token
 * of {@code majlis.comments.moderator-token}. With no token set, nobody is. Moderator roles carried by JWTs arrive
 * with the gateway's security and replace this check here.
 */
class Moderators {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    Moderators(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the request carries a bearer token at all (a moderator's, or a mistaken one). */
    static boolean claimsModerator(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    /** Nothing when the request is a moderator's; else the problem to answer. */
    @Nullable ErrorResponseException refusal(ServerHttpRequest request) {
        if (token.length == 0) {
            return problem(HttpStatus.FORBIDDEN, "moderation-off", "No moderators are set up",
                "This installation has no moderator token; the operator sets MAJLIS_MODERATOR_TOKEN to moderate.");
        }
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !claimsModerator(request)) {
            return problem(HttpStatus.UNAUTHORIZED, "not-signed-in", "Moderator token required",
                "Moderation needs 'Authorization: Bearer <moderator token>'.");
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            return problem(HttpStatus.FORBIDDEN, "not-a-moderator", "Not a moderator",
                "The token sent is not the moderator token.");
        }
        return null;
    }
}
