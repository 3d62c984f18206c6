package dev.s3scanner.local;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.db.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The local runner's database: the one at {@code --jdbc-url}, or an embedded PostgreSQL whose data
 * directory is kept (by default under {@code ~/.s3scanner/pgdata}), so findings can be read again
 * after the run. The schema is migrated with Flyway on first use.
 */
public final class LocalDatabase implements AutoCloseable {
    private static final String DB_NAME = "scanner";

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;
    private final String description;

    private LocalDatabase(EmbeddedPostgres embedded, HikariDataSource dataSource, String description) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.description = description;
    }

    /**
     * Opens the database and migrates it.
     *
     * @param jdbcUrl  a PostgreSQL JDBC URL, or {@code null} for the embedded database
     * @param dataDir  the embedded database's data directory
     * @param poolSize connections in the pool
     * @throws UserException (exit 3) when the database cannot be reached or started
     */
    public static LocalDatabase open(String jdbcUrl, Path dataDir, int poolSize) {
        if (jdbcUrl != null) {
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new UserException(2, "--jdbc-url must start with jdbc:postgresql:, was '" + jdbcUrl + "'");
            }
            return connect(jdbcUrl, null, poolSize, redact(jdbcUrl));
        }
        EmbeddedPostgres pg = null;
        int port;
        Integer running = runningPort(dataDir);
        if (running != null) {
            port = running; // another scanner process has it open: share it
        } else {
            try {
                Files.createDirectories(dataDir);
                pg = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setOutputRedirector(Redirect.DISCARD)
                        .setErrorRedirector(Redirect.DISCARD)
                        .start();
                port = pg.getPort();
            } catch (IOException | RuntimeException e) {
                throw new UserException(3, "cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage()
                        + " (or give --jdbc-url)");
            }
        }
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DB_NAME + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DB_NAME);
                }
            }
        } catch (SQLException e) {
            closeQuietly(pg);
            throw new UserException(3, "cannot open the embedded PostgreSQL on port " + port + ": " + e.getMessage());
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + DB_NAME + "?user=postgres";
        try {
            return connect(url, pg, poolSize, "embedded PostgreSQL in " + dataDir);
        } catch (UserException e) {
            closeQuietly(pg);
            throw e;
        }
    }

    private static LocalDatabase connect(String url, EmbeddedPostgres pg, int poolSize, String description) {
        DriverManager.setLoginTimeout(5);
        try (Connection probe = DriverManager.getConnection(url)) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw new UserException(3, "cannot connect to the database at " + redact(url) + ": " + firstLine(e.getMessage()));
        }
        HikariDataSource ds = DataSources.create(DatabaseSettings.ofJdbcUrl(url, null, null), poolSize, "scanner-local",
                arn -> {
                    throw new IllegalStateException("no secret locally");
                });
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            ds.close();
            throw new UserException(3, "cannot connect to the database at " + redact(url) + ": " + firstLine(e.getMessage()));
        }
        try {
            new SchemaMigrator(ds).migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new UserException(3, "cannot migrate the database at " + redact(url) + ": " + firstLine(e.getMessage()));
        }
        return new LocalDatabase(pg, ds, description);
    }

    /** The port of a PostgreSQL already running on {@code dataDir}, or {@code null}. */
    private static Integer runningPort(Path dataDir) {
        Path pid = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pid)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(pid, StandardCharsets.UTF_8);
            long processId = Long.parseLong(lines.get(0).trim());
            if (ProcessHandle.of(processId).map(ProcessHandle::isAlive).orElse(false)) {
                return Integer.parseInt(lines.get(3).trim());
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** The pool. */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** Where the data is, for messages. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }
}
