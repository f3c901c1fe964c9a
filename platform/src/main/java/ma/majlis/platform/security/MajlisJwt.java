package ma.majlis.platform.security;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoders;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/** Decodes and checks bearer JWTs, and reads Majlis's roles from them. */
public final class MajlisJwt {

    /** The role of those who write articles. */
    public static final String EDITOR = "editor";

    /** The role of those who moderate discussions. */
    public static final String MODERATOR = "moderator";

    private static final int MIN_SECRET_BYTES = 32;

    private MajlisJwt() {
    }

    /** The decoder the settings describe; with none configured, one that refuses every token. */
    public static ReactiveJwtDecoder decoder(JwtSettings settings) {
        if (!settings.hmacSecret().isBlank()) {
            byte[] secret = settings.hmacSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalStateException("MAJLIS_JWT_HMAC_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes long (it is " + secret.length + "); make one with: openssl rand -base64 48");
            }
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
            decoder.setJwtValidator(validator(settings));
            return decoder;
        }
        if (!settings.jwkSetUri().isBlank()) {
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
            decoder.setJwtValidator(validator(settings));
            return decoder;
        }
        if (!settings.issuerUri().isBlank()) {
            return ReactiveJwtDecoders.fromIssuerLocation(settings.issuerUri());
        }
        return token -> Mono.error(new BadJwtException("No identity provider is configured here (set"
            + " MAJLIS_JWT_HMAC_SECRET or MAJLIS_JWT_ISSUER_URI), so no token can be accepted."));
    }

    private static OAuth2TokenValidator<Jwt> validator(JwtSettings settings) {
        return settings.issuerUri().isBlank() ? JwtValidators.createDefault()
            : JwtValidators.createDefaultWithIssuer(settings.issuerUri());
    }

    /**
     * The security every Majlis part shares: stateless, no sessions, forms or CSRF (there are no cookies to
     * forge), bearer JWTs checked with {@link #decoder}, refusals as problems; {@code rules} says who may do what.
     * Spring Security's own headers are off: the gateway sets the browser-facing ones.
     */
    public static SecurityWebFilterChain chain(ServerHttpSecurity http, JwtSettings settings, JsonMapper json,
        Customizer<ServerHttpSecurity.AuthorizeExchangeSpec> rules) {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(json);
        return http
            .csrf(ServerHttpSecurity.CsrfSpec::disable)
            .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
            .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
            .logout(ServerHttpSecurity.LogoutSpec::disable)
            .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
            .headers(ServerHttpSecurity.HeaderSpec::disable)
            .authorizeExchange(rules)
            .oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtDecoder(decoder(settings)).jwtAuthenticationConverter(authentication(settings)))
                .authenticationEntryPoint(problems.entryPoint())
                .accessDeniedHandler(problems.accessDenied()))
            .exceptionHandling(handling -> handling
                .authenticationEntryPoint(problems.entryPoint())
                .accessDeniedHandler(problems.accessDenied()))
            .build();
    }

    /** Article writes are for editors: the rule the gateway and content-service both apply. */
    public static void editorsWriteArticles(ServerHttpSecurity.AuthorizeExchangeSpec exchanges) {
        exchanges
            .pathMatchers(HttpMethod.POST, "/api/articles", "/api/article-imports").hasRole(EDITOR)
            .pathMatchers(HttpMethod.PUT, "/api/articles/*").hasRole(EDITOR)
            .pathMatchers(HttpMethod.DELETE, "/api/articles/*").hasRole(EDITOR);
    }

    /**
     * Webhooks are registered, read and retried by editors and moderators: they say where Majlis sends its events,
     * with which secret. The rule the gateway and comment-service both apply.
     */
    public static void editorsAndModeratorsManageWebhooks(ServerHttpSecurity.AuthorizeExchangeSpec exchanges) {
        exchanges.pathMatchers("/api/webhooks", "/api/webhooks/**").hasAnyRole(EDITOR, MODERATOR);
    }

    /** Turns a token into an authentication whose authorities are {@code ROLE_<role>} for each of its roles. */
    public static Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication(JwtSettings settings) {
        return jwt -> Mono.just(new JwtAuthenticationToken(jwt, roles(jwt, settings.rolesClaim()), jwt.getSubject()));
    }

    private static Collection<GrantedAuthority> roles(Jwt jwt, String claim) {
        Object value = jwt.getClaims().get(claim);
        List<String> roles = value instanceof Collection<?> list ? list.stream().map(String::valueOf).toList()
            : value instanceof String text ? List.of(text.split("[ ,]+")) : List.of();
        return roles.stream().filter(role -> !role.isBlank())
            .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role.strip())).toList();
    }
}
