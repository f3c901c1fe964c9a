package ma.majlis.content.articles;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import ma.majlis.content.importing.DirectoryImport;
import ma.majlis.content.importing.ImportProblem;
import ma.majlis.content.importing.ImportedPage;
import ma.majlis.content.importing.PageImporter;
import ma.majlis.content.rendering.MarkdownRenderer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Imports the folder named by {@code majlis.articles.import-directory} at start-up, one page after another.
 * It reports as the {@code articleImport} health component, which is part of readiness: the service takes
 * traffic once the folder's articles are in. Unchanged pages change nothing; a page with a problem is logged
 * with what to fix and does not stop the others.
 */
class StartupImport extends AbstractReactiveHealthIndicator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupImport.class);

    private final @Nullable Path folder;

    private final PageImporter importer;

    private final MarkdownRenderer renderer;

    private final ArticleStore store;

    private final AtomicReference<Health> state = new AtomicReference<>(Health.outOfService()
        .withDetail("import", "not started").build());

    StartupImport(@Nullable Path folder, PageImporter importer, MarkdownRenderer renderer, ArticleStore store) {
        this.folder = folder;
        this.importer = importer;
        this.renderer = renderer;
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        Path folder = this.folder;
        if (folder == null) {
            state.set(Health.up().withDetail("import", "no folder configured (MAJLIS_IMPORT_DIR)").build());
            return;
        }
        state.set(Health.outOfService().withDetail("import", "running").withDetail("folder", folder.toString())
            .build());
        Mono.fromCallable(() -> DirectoryImport.read(folder))
            .flatMapMany(Flux::fromIterable)
            .concatMap(this::importOne)
            .collectList()
            .subscribe(outcomes -> finished(folder, outcomes), failure -> failed(folder, failure));
    }

    private Mono<String> importOne(DirectoryImport.PageFile file) {
        if (file.text() == null) {
            log.warn("Skipped {}: it {}.", file.relativePath(), file.problem());
            return Mono.just("problem");
        }
        ImportedPage page;
        try {
            page = importer.read(file.relativePath(), file.text());
        }
        catch (ImportProblem problem) {
            log.warn("Skipped {}: {}", file.relativePath(), problem.getMessage());
            return Mono.just("problem");
        }
        if (!page.repairs().isEmpty()) {
            log.info("Repaired mojibake in {}: {}", file.relativePath(), page.repairs());
        }
        return store.importPage(page, renderer.render(page.markdown()), file.text())
            .map(saved -> {
                log.info("Imported {} as {} (version {}): {}", file.relativePath(), saved.slug(), saved.version(),
                    saved.outcome().name().toLowerCase(java.util.Locale.ROOT));
                return saved.outcome().name().toLowerCase(java.util.Locale.ROOT);
            })
            .onErrorResume(ex -> {
                log.warn("Could not store {}: {}", file.relativePath(), ex.getMessage());
                return Mono.just("problem");
            });
    }

    private void finished(Path folder, List<String> outcomes) {
        long problems = outcomes.stream().filter("problem"::equals).count();
        log.info("Imported the folder {}: {} pages, {} with problems.", folder, outcomes.size(), problems);
        state.set(Health.up().withDetail("folder", folder.toString()).withDetail("pages", outcomes.size())
            .withDetail("problems", problems).build());
    }

    private void failed(Path folder, Throwable failure) {
        log.error("The import of {} failed: {}. Fix the folder (MAJLIS_IMPORT_DIR) and restart.", folder,
            failure.getMessage());
        state.set(Health.down().withDetail("folder", folder.toString()).withDetail("error", failure.getMessage())
            .build());
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.just(state.get());
    }
}
