package ma.majlis.gateway;

import ma.majlis.platform.security.JwtSettings;
import ma.majlis.platform.security.MajlisJwt;
import ma.majlis.platform.security.ProblemSecurityHandlers;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Readers need no token to read or to comment; article writes need the editor role. A request that carries a
 * bearer token has it checked whatever it asks for, and the token travels on to the service, which checks the role
 * again (moderation is checked there, where the request's body says what it is).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtSettings.class)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, JwtSettings settings, JsonMapper json) {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(json);
        return http
            .csrf(ServerHttpSecurity.CsrfSpec::disable)
            .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
            .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
            .logout(ServerHttpSecurity.LogoutSpec::disable)
            // Stateless: every request brings its token; the gateway's own filter sets the browser headers.
            .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
            .headers(ServerHttpSecurity.HeaderSpec::disable)
            .authorizeExchange(exchanges -> exchanges
                .pathMatchers(HttpMethod.POST, "/api/articles", "/api/article-imports").hasRole(MajlisJwt.EDITOR)
                .pathMatchers(HttpMethod.PUT, "/api/articles/*").hasRole(MajlisJwt.EDITOR)
                .pathMatchers(HttpMethod.DELETE, "/api/articles/*").hasRole(MajlisJwt.EDITOR)
                .anyExchange().permitAll())
            .oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtDecoder(MajlisJwt.decoder(settings))
                    .jwtAuthenticationConverter(MajlisJwt.authentication(settings)))
                .authenticationEntryPoint(problems.entryPoint())
                .accessDeniedHandler(problems.accessDenied()))
            .exceptionHandling(handling -> handling
                .authenticationEntryPoint(problems.entryPoint())
                .accessDeniedHandler(problems.accessDenied()))
            .build();
    }
}
