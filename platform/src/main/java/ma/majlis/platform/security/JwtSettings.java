package ma.majlis.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where bearer JWTs come from (README, "Settings"): an identity provider (its issuer, and optionally its JWK set),
 * or, for a small installation, a secret shared by the gateway and the services (HS256). With neither, every
 * token is refused and nobody is an editor or a moderator.
 *
 * @param hmacSecret the shared secret, at least 32 bytes
 * @param issuerUri the identity provider's issuer; tokens must name it
 * @param jwkSetUri where the provider's signing keys are, when it is not found from the issuer
 * @param rolesClaim the claim that lists a user's roles ({@code editor}, {@code moderator})
 */
@ConfigurationProperties("majlis.security.jwt")
public record JwtSettings(@DefaultValue("") String hmacSecret, @DefaultValue("") String issuerUri,
    @DefaultValue("") String jwkSetUri, @DefaultValue("roles") String rolesClaim) {
}
