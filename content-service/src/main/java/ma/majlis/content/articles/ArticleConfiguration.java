package ma.majlis.content.articles;

import ma.majlis.content.importing.PageImporter;
import ma.majlis.content.rendering.MarkdownRenderer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the importer and the renderer with the operator's settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ArticleSettings.class)
class ArticleConfiguration {

    @Bean
    PageImporter pageImporter(ArticleSettings settings) {
        return new PageImporter(settings.commentsByDefault(), settings.numberedSeries());
    }

    @Bean
    MarkdownRenderer markdownRenderer() {
        return new MarkdownRenderer();
    }
}
