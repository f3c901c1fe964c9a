package ma.majlis.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * How a service of the local stack starts quickly: from its jar unpacked, and with a class data sharing archive of
 * the classes its previous run loaded.
 *
 * <ul>
 * <li>Unpacked (Spring Boot's {@code tools} jar mode, {@code extract}), the classes load from plain jars on the
 * class path rather than from jars nested in the packaged one, which is both quicker and what the JVM can archive.
 * <li>The first run after a build records: with {@code -XX:ArchiveClassesAtExit}, the JVM writes the classes it
 * loaded, parsed and verified, to a file of that run's own as it exits. {@link #ended} keeps that file as the
 * archive only if the run stopped on its own when asked to. Later runs map it ({@code -XX:SharedArchiveFile}) and
 * skip that work.
 * <li>An archive belongs to one build of the service, one agent jar, one JVM and one set of JVM options; a change to
 * any of them records a new one. Those of other options stay (a bench alternates between two sets), until the next
 * build is unpacked. Options that set class data sharing themselves ({@code -Xshare:off}, an archive of
 * their own) are left alone: such a run only runs unpacked.
 * </ul>
 *
 * <p>Both live next to the jars ({@code local-stack/target/quick-start}), so {@code ./mvnw clean} removes them with
 * the build they belong to, and any data folder's stack uses them.
 */
public final class QuickStart {

    static final String STAMP = "unpacked-from";

    private final String service;

    private final Path jar;

    private final List<String> javaOptions;

    private final @Nullable Path archive;

    private final @Nullable Path recording;

    private final @Nullable String note;

    private final @Nullable String mainClass;

    private QuickStart(String service, Path jar, @Nullable String mainClass, List<String> javaOptions,
        @Nullable Path archive, @Nullable Path recording, @Nullable String note) {
        this.service = service;
        this.jar = jar;
        this.mainClass = mainClass;
        this.javaOptions = javaOptions;
        this.archive = archive;
        this.recording = recording;
        this.note = note;
    }

    /**
     * Unpacks {@code packagedJar} into {@code folder} unless it holds this very build already, and chooses the
     * archive options. If the jar cannot be unpacked, the service runs from the packaged jar as it is, and
     * {@link #note()} says why.
     */
    public static QuickStart prepare(String service, Path packagedJar, Path agent, Path folder,
        List<String> javaOptions) {
        Path unpacked = folder.resolve("app");
        Path runnable = unpacked.resolve(packagedJar.getFileName());
        String build = identity(packagedJar);
        String mainClass;
        try {
            if (!build.equals(read(folder.resolve(STAMP))) || !Files.isRegularFile(runnable)) {
                unpack(packagedJar, folder, unpacked);
                Files.writeString(folder.resolve(STAMP), build, StandardCharsets.UTF_8);
            }
            mainClass = mainClass(runnable);
        }
        catch (IOException | UncheckedIOException | UnpackFailure ex) {
            return new QuickStart(service, packagedJar, null, javaOptions, null, null, service + " starts from its "
                + "packaged jar, more slowly: it could not be unpacked into " + folder + " (" + ex.getMessage() + ").");
        }
        if (setsClassDataSharing(javaOptions)) {
            return new QuickStart(service, runnable, mainClass, javaOptions, null, null, null);
        }
        String key = digest(String.join("\n", build, identity(agent), System.getProperty("java.home"),
            System.getProperty("java.vm.version"), String.join(" ", javaOptions)));
        Path archive = folder.resolve(service + "-" + key + ".jsa");
        List<String> options = new ArrayList<>(javaOptions);
        if (Files.isRegularFile(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
            return new QuickStart(service, runnable, mainClass, List.copyOf(options), archive, null, null);
        }
        removeLeftOverRecordings(folder);
        Path recording = folder.resolve(service + "-" + key + ".jsa." + ProcessHandle.current().pid() + ".recording");
        options.add("-XX:ArchiveClassesAtExit=" + recording);
        return new QuickStart(service, runnable, mainClass, List.copyOf(options), archive, recording, null);
    }

    /** Why this service does not start the quick way, if it does not. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** The jar to run: the unpacked one, or the packaged one if it could not be unpacked. */
    public Path jar() {
        return jar;
    }

    /**
     * The service's main class when it runs unpacked (for {@link ServiceProcess#start(List, Path, String)}), or
     * {@code null} when it runs from its packaged jar.
     */
    public @Nullable String mainClass() {
        return mainClass;
    }

    /** The operator's JVM options, with the option that maps or records the archive added. */
    public List<String> javaOptions() {
        return javaOptions;
    }

    /** Whether this run writes the archive as it exits: the first run after a build or a change of options. */
    public boolean records() {
        return recording != null;
    }

    /** The archive this run maps, if it maps one. */
    public Optional<Path> mapped() {
        return recording == null ? Optional.ofNullable(archive) : Optional.empty();
    }

    /**
     * After the service's process ended: keeps what a recording run wrote as the archive if it stopped on its own
     * ({@code cleanly}); a run that had to be killed may have left half a file, which is removed.
     */
    public void ended(boolean cleanly) {
        if (recording == null || archive == null) {
            return;
        }
        try {
            if (cleanly && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                move(recording, archive);
            }
            else {
                Files.deleteIfExists(recording);
            }
        }
        catch (IOException ex) {
            System.err.println("[majlis] Could not keep the class archive of " + service + " (" + ex.getMessage()
                + "); its next start records one again.");
        }
    }

    /**
     * Drops the archive the JVM would not map (it checks that the JVM, options and jars are the ones it was
     * written with, and runs without it otherwise), so that the next run records a fresh one.
     */
    public void forget() {
        if (archive != null) {
            try {
                Files.deleteIfExists(archive);
            }
            catch (IOException ex) {
                System.err.println("[majlis] Could not remove " + archive + " (" + ex.getMessage() + "); remove it "
                    + "by hand so that " + service + " records a new one.");
            }
        }
    }

    /**
     * Whether process {@code pid} has the archive mapped into its memory, read from /proc. Empty where /proc does
     * not tell (not Linux), or when this run maps no archive.
     */
    public Optional<Boolean> isMappedBy(long pid) {
        Optional<Path> mapped = mapped();
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        if (mapped.isEmpty() || !Files.isReadable(maps)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.UTF_8)) {
            String path = mapped.get().toString();
            return Optional.of(lines.anyMatch(line -> line.endsWith(path)));
        }
        catch (IOException | UncheckedIOException ex) {
            return Optional.empty();
        }
    }

    static boolean setsClassDataSharing(List<String> javaOptions) {
        return javaOptions.stream().anyMatch(option -> option.startsWith("-Xshare:")
            || option.contains("SharedArchiveFile") || option.contains("ArchiveClassesAtExit")
            || option.contains("UseSharedSpaces"));
    }

    /** Extracts into a folder of its own first, so that a stack killed halfway leaves no half-unpacked jar. */
    private static void unpack(Path packagedJar, Path folder, Path unpacked) throws IOException {
        Files.createDirectories(folder);
        Path staging = Files.createTempDirectory(folder, "unpacking-");
        try {
            Process extract = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools", "-jar", packagedJar.toString(), "extract", "--destination", staging.toString())
                .redirectErrorStream(true)
                .start();
            String output = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0) {
                extract.destroyForcibly();
                throw new UnpackFailure("java -Djarmode=tools -jar " + packagedJar + " extract said: " + output);
            }
            deleteRecursively(unpacked);
            move(staging, unpacked);
            // Archives of the previous build name jars that are gone now.
            removeArchives(folder);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new UnpackFailure("interrupted");
        }
        finally {
            deleteRecursively(staging);
        }
    }

    private static void removeArchives(Path folder) {
        remove(folder, name -> name.endsWith(".jsa") || isLeftOverRecording(name));
    }

    private static void removeLeftOverRecordings(Path folder) {
        remove(folder, QuickStart::isLeftOverRecording);
    }

    private static void remove(Path folder, Predicate<String> named) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (named.test(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        }
        catch (IOException ex) {
            // What is left only takes room: the JVM maps no archive written for other jars.
        }
    }

    /**
     * A recording whose launcher is gone (killed outright, so it never kept or removed it). One whose launcher
     * runs is not ours to remove: that launcher's stop keeps or removes it.
     */
    private static boolean isLeftOverRecording(String name) {
        if (!name.endsWith(".recording")) {
            return false;
        }
        String[] parts = name.split("\\.");
        try {
            return ProcessHandle.of(Long.parseLong(parts[parts.length - 2])).isEmpty();
        }
        catch (NumberFormatException ex) {
            return true;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (AtomicMoveNotSupportedException | FileAlreadyExistsException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String mainClass(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null || main.isBlank()) {
                throw new UnpackFailure("the unpacked " + jar + " names no Main-Class");
            }
            return main.trim();
        }
    }

    /** What tells one build of a file from another: its path, size and time of change. */
    static String identity(Path file) {
        try {
            return file.toAbsolutePath() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
        }
        catch (IOException ex) {
            return file.toAbsolutePath() + " missing";
        }
    }

    private static @Nullable String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return null;
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }

    private static final class UnpackFailure extends RuntimeException {
        UnpackFailure(String message) {
            super(message);
        }
    }
}
