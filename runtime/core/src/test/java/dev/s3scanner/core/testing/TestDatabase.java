package dev.s3scanner.core.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.db.SchemaMigrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A freshly created, migrated database on the test PostgreSQL server, dropped on close. The
 * server is {@code SCANNER_TEST_JDBC_URL} (a URL to an existing database the tests may use to
 * create others), default {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
 */
public final class TestDatabase implements AutoCloseable {
    /** The admin URL tests connect to first. */
    public static final String ADMIN_URL = System.getenv().getOrDefault("SCANNER_TEST_JDBC_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private final String name;
    private final String url;
    private final HikariDataSource dataSource;

    private TestDatabase(String name, String url, HikariDataSource dataSource) {
        this.name = name;
        this.url = url;
        this.dataSource = dataSource;
    }

    /** Creates and migrates a new database with a pool of 20 connections. */
    public static TestDatabase create() {
        return create(20);
    }

    /** Creates and migrates a new database. */
    public static TestDatabase create(int poolSize) {
        String name = "s3scanner_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + ADMIN_URL
                    + " (is PostgreSQL running? .ci/run starts it): " + e.getMessage(), e);
        }
        String url = withDatabase(ADMIN_URL, name);
        HikariDataSource ds = DataSources.create(DatabaseSettings.ofJdbcUrl(url, null, null), poolSize, "test",
                arn -> {
                    throw new IllegalStateException("no secrets in tests");
                });
        new SchemaMigrator(ds).migrate();
        return new TestDatabase(name, url, ds);
    }

    private static String withDatabase(String adminUrl, String db) {
        int q = adminUrl.indexOf('?');
        String base = q < 0 ? adminUrl : adminUrl.substring(0, q);
        String params = q < 0 ? "" : adminUrl.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + db + params;
    }

    /** The pool. */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL of this database. */
    public String url() {
        return url;
    }

    /** A job store on this database. */
    public JobStore store() {
        return new JobStore(dataSource);
    }

    /** Runs a query and returns each row's columns as strings (for assertions). */
    public List<List<String>> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public String scalar(String sql, Object... params) {
        List<List<String>> rows = query(sql, params);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).get(0);
    }

    /**
     * Every text value in every table of this database, for "no raw value stored anywhere" checks.
     */
    public String dumpAllText() {
        StringBuilder sb = new StringBuilder();
        for (List<String> t : query("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE'""")) {
            for (List<String> row : query("SELECT t::text FROM " + t.get(0) + " t")) {
                sb.append(row.get(0)).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        dataSource.close();
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name, e);
        }
    }
}
