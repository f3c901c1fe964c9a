package ma.majlis.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerTest {

    @Test
    void keepsDataInItsFolderAcrossRestarts(@TempDir Path folder) throws Exception {
        Path data = folder.resolve("pg");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(first.createDatabaseIfMissing("majlis_test")).isTrue();
            try (Connection connection = DriverManager.getConnection(first.jdbcUrl("majlis_test"), "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("create table note (body text)");
                statement.execute("insert into note values ('still here')");
            }
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data, 0)) {
            assertThat(second.createDatabaseIfMissing("majlis_test")).isFalse();
            try (Connection connection = DriverManager.getConnection(second.jdbcUrl("majlis_test"), "postgres", "");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select body from note")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void aKeptClusterStartedDurableWaitsForTheDiskAtEveryCommit(@TempDir Path folder) throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startDurable(folder.resolve("pg"), 0)) {
            assertThat(setting(server, "fsync")).isEqualTo("on");
            assertThat(setting(server, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void aTestClusterDoesNotWaitForTheDisk() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0)) {
            assertThat(setting(server, "fsync")).isEqualTo("off");
            assertThat(setting(server, "synchronous_commit")).isEqualTo("off");
        }
    }

    private static String setting(EmbeddedPostgresServer server, String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("show " + name)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void removesATemporaryClusterWhenClosed() {
        Path data;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0)) {
            data = server.dataDirectory();
            assertThat(data.resolve("PG_VERSION")).exists();
        }
        assertThat(Files.exists(data)).isFalse();
    }

    @Test
    void refusesADatabaseNameThatIsNotPlain() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> EmbeddedPostgresServer.createDatabaseIfMissing("jdbc:postgresql://localhost:1/x",
                "postgres", "", "x; drop database postgres"))
            .withMessageContaining("Not a plain database name");
    }
}
