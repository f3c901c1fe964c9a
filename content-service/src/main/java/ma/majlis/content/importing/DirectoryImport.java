package ma.majlis.content.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/** The Markdown pages of a folder such as an MkDocs {@code docs/} tree, read as UTF-8, in a stable order. */
public final class DirectoryImport {

    private DirectoryImport() {
    }

    /** A page file: its path relative to the folder (which names the article) and its text. */
    public record PageFile(String relativePath, @Nullable String text, @Nullable String problem) {
    }

    public static List<PageFile> read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("The import folder " + folder + " does not exist or is not a folder.");
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                .filter(path -> path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".md"))
                .sorted()
                .map(path -> readOne(folder, path))
                .toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the import folder " + folder, ex);
        }
    }

    private static PageFile readOne(Path folder, Path file) {
        String relative = folder.relativize(file).toString().replace('\\', '/');
        try {
            return Utf8.decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                .map(text -> new PageFile(relative, text, null))
                .orElseGet(() -> new PageFile(relative, null, "is not valid UTF-8; save it as UTF-8"));
        }
        catch (IOException ex) {
            return new PageFile(relative, null, "cannot be read: " + ex.getMessage());
        }
    }
}
