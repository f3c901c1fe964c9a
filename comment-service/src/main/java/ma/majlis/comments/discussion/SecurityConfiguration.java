package ma.majlis.comments.discussion;

import ma.majlis.platform.security.JwtSettings;
import ma.majlis.platform.security.MajlisJwt;
import ma.majlis.platform.security.ProblemSecurityHandlers;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every discussion endpoint is open to anonymous readers; a bearer token, when one is sent, is checked here and
 * names the reader (their comments carry their subject) and their roles. {@link Moderators} decides who
 * moderates, from those roles.
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
            .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
            .oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtDecoder(MajlisJwt.decoder(settings))
                    .jwtAuthenticationConverter(MajlisJwt.authentication(settings)))
                .authenticationEntryPoint(problems.entryPoint())
                .accessDeniedHandler(problems.accessDenied()))
            .build();
    }
}
