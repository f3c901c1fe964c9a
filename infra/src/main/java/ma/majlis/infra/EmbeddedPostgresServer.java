package ma.majlis.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries that zonky ships on Maven Central.
 *
 * <p>With a data folder the cluster survives restarts (the local stack); without one it lives in a temporary
 * folder that {@link #close()} removes (tests).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser that initdb creates; it authenticates by trust on loopback only. */
    public static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;

    private final Path dataDirectory;

    private final boolean temporary;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, boolean temporary) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
    }

    /**
     * Starts PostgreSQL as fast as tests want it: as zonky starts it, without {@code fsync} and with
     * {@code synchronous_commit} off, so that no commit waits for the disk. A crash of the machine may lose the last
     * commits, or the cluster.
     * @param dataDirectory where the cluster lives and persists, or {@code null} for a throw-away one
     * @param port the port to listen on, or 0 for any free one
     */
    public static EmbeddedPostgresServer start(@Nullable Path dataDirectory, int port) {
        return start(dataDirectory, port, false);
    }

    /**
     * Starts PostgreSQL on a cluster that is kept (the local stack): every commit is on disk before it is
     * acknowledged, as on a deployed server, and a crash of the machine loses nothing acknowledged.
     * @param port the port to listen on, or 0 for any free one
     */
    public static EmbeddedPostgresServer startDurable(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    private static EmbeddedPostgresServer start(@Nullable Path dataDirectory, int port, boolean durable) {
        boolean temporary = dataDirectory == null;
        Path directory = temporary ? Directories.temporary("majlis-pg-") : dataDirectory;
        try {
            Files.createDirectories(directory);
            stopLeftOverServer(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(temporary)
                .setPort(port == 0 ? Ports.free() : port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(false)
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "localhost");
            if (durable) {
                // zonky passes -F (no fsync) before the settings, which come later and so win.
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            EmbeddedPostgres postgres = builder.start();
            return new EmbeddedPostgresServer(postgres, directory, temporary);
        }
        catch (IOException ex) {
            if (temporary) {
                Directories.deleteQuietly(directory);
            }
            throw new UncheckedIOException("PostgreSQL did not start in " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * A server left running by a launcher that was killed outright still holds the data folder; stop it,
     * so that this start can take the folder over instead of failing on a stale lock.
     * @return the process id of the server it stopped, or -1 when there was none
     */
    public static long stopLeftOverServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return -1;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return -1;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        }
        catch (NumberFormatException ex) {
            return -1;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return -1;
        }
        log.warn("A PostgreSQL server from an earlier run (pid {}) still holds {}; stopping it.", pid, directory);
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            postmaster.destroyForcibly();
        }
        return pid;
    }

    public int port() {
        return postgres.getPort();
    }

    public String host() {
        return "localhost";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Creates {@code database} unless it exists; returns whether it was created. */
    public boolean createDatabaseIfMissing(String database) {
        return createDatabaseIfMissing(jdbcUrl("postgres"), USER, "", database);
    }

    /**
     * Creates {@code database} on any PostgreSQL reachable at {@code adminJdbcUrl} unless it exists.
     * Shared with the Testcontainers path, so both create databases the same way.
     */
    public static boolean createDatabaseIfMissing(String adminJdbcUrl, String user, String password, String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, user, password)) {
            try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + database);
            }
            return true;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create database " + database + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        }
        catch (IOException ex) {
            log.warn("PostgreSQL did not stop cleanly: {}", ex.getMessage());
        }
        finally {
            if (temporary) {
                Directories.deleteQuietly(dataDirectory);
            }
        }
    }
}
