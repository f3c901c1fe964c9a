package ma.majlis.testing;

import ma.majlis.infra.EmbeddedPostgresServer;

/** Where a test's PostgreSQL server answers, whichever kind it is. */
public record PostgresEndpoint(String host, int port, String username, String password) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates {@code database} on this server unless it exists. */
    public void createDatabaseIfMissing(String database) {
        EmbeddedPostgresServer.createDatabaseIfMissing(jdbcUrl("postgres"), username, password, database);
    }
}
