package dev.s3scanner.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.db.SchemaMigrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh migrated database on the server, dropped on close. */
final class BenchDatabase implements AutoCloseable {
    final String adminUrl;
    final String name;
    final HikariDataSource dataSource;

    private BenchDatabase(String adminUrl, String name, HikariDataSource dataSource) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.dataSource = dataSource;
    }

    static BenchDatabase create(String adminUrl) throws SQLException {
        return create(adminUrl, 8);
    }

    static BenchDatabase create(String adminUrl, int poolSize) throws SQLException {
        return create(adminUrl, poolSize, dev.s3scanner.db.SchemaLayout.UNPARTITIONED);
    }

    static BenchDatabase create(String adminUrl, int poolSize, dev.s3scanner.db.SchemaLayout layout) throws SQLException {
        String name = "s3scanner_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int q = adminUrl.indexOf('?');
        String base = q < 0 ? adminUrl : adminUrl.substring(0, q);
        String url = base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : adminUrl.substring(q));
        HikariDataSource ds = DataSources.create(DatabaseSettings.ofJdbcUrl(url, null, null), poolSize, "bench",
                arn -> {
                    throw new IllegalStateException("no secrets here");
                });
        new SchemaMigrator(ds, layout).migrate();
        return new BenchDatabase(adminUrl, name, ds);
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        dataSource.close();
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** CPU seconds used so far by the PostgreSQL backends serving this database (from /proc). */
    static java.util.Map<Integer, Double> backendCpu(BenchDatabase db) throws SQLException {
        java.util.Map<Integer, Double> out = new java.util.HashMap<>();
        try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
            while (rs.next()) {
                int pid = rs.getInt(1);
                try {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0); // utime + stime, in clock ticks
                } catch (java.io.IOException | RuntimeException e) {
                    // not a local server, or the backend is gone: not counted
                }
            }
        }
        return out;
    }

    /** CPU seconds the backends used between two readings of {@link #backendCpu}. */
    static double cpuSince(java.util.Map<Integer, Double> before, java.util.Map<Integer, Double> after) {
        double sum = 0;
        for (var e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        }
        return sum;
    }
}
