package ma.majlis.content.articles;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Imports the configured folder at start-up. It reports as the {@code articleImport} health component, which is
 * part of readiness: the service takes traffic once the folder's articles are in.
 */
class StartupImport extends AbstractReactiveHealthIndicator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupImport.class);

    private final FolderImport folderImport;

    private final AtomicReference<Health> state = new AtomicReference<>(Health.outOfService()
        .withDetail("import", "not started").build());

    StartupImport(FolderImport folderImport) {
        this.folderImport = folderImport;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        Path folder = folderImport.folder();
        if (folder == null) {
            state.set(Health.up().withDetail("import", "no folder configured (MAJLIS_IMPORT_DIR)").build());
            return;
        }
        state.set(Health.outOfService().withDetail("import", "running").withDetail("folder", folder.toString())
            .build());
        folderImport.run().subscribe(
            report -> state.set(Health.up().withDetail("folder", report.folder()).withDetail("pages", report.pages())
                .withDetail("problems", report.problems()).build()),
            failure -> {
                log.error("The import of {} failed: {}. Fix the folder (MAJLIS_IMPORT_DIR) and restart.", folder,
                    failure.getMessage());
                state.set(Health.down().withDetail("folder", folder.toString())
                    .withDetail("error", String.valueOf(failure.getMessage())).build());
            });
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.just(state.get());
    }
}
