package ma.majlis.content.articles;

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
 * The one place that decides who may write articles: editors, whose bearer JWT carries the {@code editor} role.
 * The gateway checks it too; this service checks again, so it is safe even when reached directly. Reading is open.
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
