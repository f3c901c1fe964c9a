package ma.majlis.comments.discussion;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the discussions with the operator's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommentSettings.class)
class DiscussionConfiguration {

    @Bean
    CommentRenderer commentRenderer() {
        return new CommentRenderer();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EditTokens editTokens(CommentSettings settings) {
        return new EditTokens(settings.editTokenSecret());
    }
}
