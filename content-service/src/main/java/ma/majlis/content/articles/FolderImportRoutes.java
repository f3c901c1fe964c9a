package ma.majlis.content.articles;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Lets an editor import the configured folder again, for instance after {@code git pull} in an MkDocs tree. */
@RestController
class FolderImportRoutes {

    private final FolderImport folderImport;

    FolderImportRoutes(FolderImport folderImport) {
        this.folderImport = folderImport;
    }

    /** Imports the folder now and answers what each page became. */
    @PostMapping(path = "/api/article-imports", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<FolderImport.Report> importFolder() {
        return folderImport.run()
            .onErrorMap(FolderImport.NoFolder.class, ex -> ArticleProblems.noImportFolder(ex.getMessage()))
            .onErrorMap(FolderImport.AlreadyRunning.class, ex -> ArticleProblems.importRunning(ex.getMessage()));
    }
}
