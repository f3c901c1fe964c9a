package ma.majlis.comments.discussion;

import ma.majlis.platform.security.JwtSettings;
import ma.majlis.platform.security.MajlisJwt;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every discussion endpoint is open to anonymous readers; a bearer token, when one is sent, is checked here and
 * names the reader (their comments carry their subject) and their roles. {@link Moderators} decides who
 * moderates, from those roles; webhooks are for editors and moderators.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtSettings.class)
class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, JwtSettings settings, JsonMapper json) {
        return MajlisJwt.chain(http, settings, json, exchanges -> {
            MajlisJwt.editorsAndModeratorsManageWebhooks(exchanges);
            exchanges.anyExchange().permitAll();
        });
    }
}
