package ma.majlis.content.articles;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import ma.majlis.content.importing.DirectoryImport;
import ma.majlis.content.importing.ImportProblem;
import ma.majlis.content.importing.ImportedPage;
import ma.majlis.content.importing.MojibakeRepair;
import ma.majlis.content.importing.PageImporter;
import ma.majlis.content.rendering.MarkdownRenderer;
import ma.majlis.platform.web.RequestLogging;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Imports the folder named by {@code majlis.articles.import-directory} (an MkDocs {@code docs/} tree), one page
 * after another: at start-up and whenever an editor asks. Unchanged pages change nothing; a page with a problem
 * is reported with what to fix and does not stop the others. One import runs at a time.
 */
public class FolderImport {

    private static final Logger log = LoggerFactory.getLogger(FolderImport.class);

    private final @Nullable Path folder;

    private final PageImporter importer;

    private final MarkdownRenderer renderer;

    private final ArticleStore store;

    private final AtomicBoolean running = new AtomicBoolean();

    FolderImport(@Nullable Path folder, PageImporter importer, MarkdownRenderer renderer, ArticleStore store) {
        this.folder = folder;
        this.importer = importer;
        this.renderer = renderer;
        this.store = store;
    }

    /** What one page of the folder became. */
    public record PageOutcome(String file, @Nullable String slug, @Nullable Integer version, String outcome,
        @Nullable String problem, List<MojibakeRepair.Repair> repairs) {

        static PageOutcome problem(String file, String problem) {
            return new PageOutcome(file, null, null, "problem", problem, List.of());
        }
    }

    /** What an import of the whole folder did. */
    public record Report(String folder, int pages, long created, long updated, long unchanged, long problems,
        List<PageOutcome> outcomes) {

        static Report of(Path folder, List<PageOutcome> outcomes) {
            return new Report(folder.toString(), outcomes.size(), count(outcomes, "created"),
                count(outcomes, "updated"), count(outcomes, "unchanged"), count(outcomes, "problem"), outcomes);
        }

        private static long count(List<PageOutcome> outcomes, String outcome) {
            return outcomes.stream().filter(page -> page.outcome().equals(outcome)).count();
        }
    }

    /** Thrown when there is nothing to import: no folder is configured. */
    public static final class NoFolder extends RuntimeException {

        NoFolder() {
            super("No import folder is configured: set MAJLIS_IMPORT_DIR to an MkDocs docs/ folder and restart.");
        }
    }

    /** Thrown when an import is already running. */
    public static final class AlreadyRunning extends RuntimeException {

        AlreadyRunning() {
            super("An import of the folder is already running; ask again when it has finished.");
        }
    }

    public @Nullable Path folder() {
        return folder;
    }

    /** Imports every page of the folder; fails with {@link NoFolder} or {@link AlreadyRunning}. */
    public Mono<Report> run() {
        Path folder = this.folder;
        if (folder == null) {
            return Mono.error(new NoFolder());
        }
        return Mono.defer(() -> {
            if (!running.compareAndSet(false, true)) {
                return Mono.error(new AlreadyRunning());
            }
            // Reading files blocks: it runs on the scheduler made for that, never on an event-loop thread.
            return Mono.fromCallable(() -> DirectoryImport.read(folder))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(Flux::fromIterable)
                // Each page's lines carry the ids of the request that asked for the import, if one did.
                .concatMap(file -> Mono.deferContextual(context -> importOne(file, context)))
                .collectList()
                .map(outcomes -> Report.of(folder, outcomes))
                .flatMap(report -> Mono.deferContextual(context -> {
                    RequestLogging.log(context, () -> log.info("Imported the folder {}: {} pages, {} created, {}"
                        + " updated, {} unchanged, {} with problems.", folder, report.pages(), report.created(),
                        report.updated(), report.unchanged(), report.problems()));
                    return Mono.just(report);
                }))
                .doFinally(signal -> running.set(false));
        });
    }

    private Mono<PageOutcome> importOne(DirectoryImport.PageFile file, ContextView context) {
        String text = file.text();
        if (text == null) {
            RequestLogging.log(context, () -> log.warn("Skipped {}: it {}.", file.relativePath(), file.problem()));
            return Mono.just(PageOutcome.problem(file.relativePath(), "The file " + file.problem() + "."));
        }
        ImportedPage page;
        try {
            page = importer.read(file.relativePath(), text);
        }
        catch (ImportProblem problem) {
            RequestLogging.log(context, () -> log.warn("Skipped {}: {}", file.relativePath(), problem.getMessage()));
            return Mono.just(PageOutcome.problem(file.relativePath(), problem.getMessage()));
        }
        if (!page.repairs().isEmpty()) {
            ImportedPage repaired = page;
            RequestLogging.log(context, () -> log.info("Repaired mojibake in {}: {}", file.relativePath(),
                repaired.repairs()));
        }
        return store.importPage(page, renderer.render(page.markdown()), text)
            .map(saved -> {
                String outcome = saved.outcome().name().toLowerCase(Locale.ROOT);
                RequestLogging.log(context, () -> log.info("Imported {} as {} (version {}): {}", file.relativePath(),
                    saved.slug(), saved.version(), outcome));
                return new PageOutcome(file.relativePath(), saved.slug(), saved.version(), outcome, null,
                    page.repairs());
            })
            .onErrorResume(ex -> {
                RequestLogging.log(context, () -> log.warn("Could not store {}: {}", file.relativePath(),
                    ex.getMessage()));
                return Mono.just(PageOutcome.problem(file.relativePath(), "It could not be stored: "
                    + ex.getMessage()));
            });
    }
}
