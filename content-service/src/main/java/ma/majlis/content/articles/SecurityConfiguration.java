package ma.majlis.content.articles;

import ma.majlis.platform.security.JwtSettings;
import ma.majlis.platform.security.MajlisJwt;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
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
        return MajlisJwt.chain(http, settings, json, exchanges -> {
            MajlisJwt.editorsWriteArticles(exchanges);
            exchanges.anyExchange().permitAll();
        });
    }
}
