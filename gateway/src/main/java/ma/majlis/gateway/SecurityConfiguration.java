package ma.majlis.gateway;

import ma.majlis.platform.security.JwtSettings;
import ma.majlis.platform.security.MajlisJwt;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
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
        return MajlisJwt.chain(http, settings, json, exchanges -> {
            MajlisJwt.editorsWriteArticles(exchanges);
            MajlisJwt.editorsAndModeratorsManageWebhooks(exchanges);
            exchanges.anyExchange().permitAll();
        });
    }
}
