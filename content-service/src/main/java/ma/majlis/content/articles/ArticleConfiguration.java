package ma.majlis.content.articles;

import java.nio.file.Path;

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

    @Bean
    FolderImport folderImport(ArticleSettings settings, PageImporter importer, MarkdownRenderer renderer,
        ArticleStore store) {
        Path folder = settings.importDirectory().isBlank() ? null : Path.of(settings.importDirectory());
        return new FolderImport(folder, importer, renderer, store);
    }

    /** Named so that readiness can include it as {@code articleImport}. */
    @Bean
    StartupImport articleImportHealthIndicator(FolderImport folderImport) {
        return new StartupImport(folderImport);
    }
}
