package dev.s3scanner.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the scanner's Flyway migrations ({@code classpath:db/migration}) to a PostgreSQL database.
 * Used by the deploy-time migration function, the local runner and tests: the schema changes only
 * through these migrations.
 *
 * <p>The {@link SchemaLayout} is passed to the migrations as the placeholder {@code partitioned}
 * ({@code "true"}/{@code "false"}). {@code V3} partitions {@code job_objects} and {@code findings} when
 * it first runs with {@code true}; because a migration runs only once, {@link #migrate()} also asks
 * for the partitioned layout after every migration run when the layout is {@link SchemaLayout#PARTITIONED},
 * so a database created unpartitioned is converted when its deployment later switches to a
 * partitioned tier, as long as those tables are still empty. A database that is partitioned stays
 * partitioned when the setting is false (every query works on both layouts).
 */
public final class SchemaMigrator {
    /** Where the migrations live on the classpath. */
    public static final String LOCATION = "classpath:db/migration";
    /** The Flyway placeholder carrying {@link SchemaLayout#placeholderValue()}. */
    public static final String PARTITIONED_PLACEHOLDER = "partitioned";

    private final DataSource dataSource;
    private final SchemaLayout layout;

    /**
     * A migrator for the unpartitioned layout (tiers {@code small} and {@code medium}, the local runner).
     *
     * @param dataSource a data source for the target database; its user must be able to create
     *                   tables, indexes, functions and materialized views
     */
    public SchemaMigrator(DataSource dataSource) {
        this(dataSource, SchemaLayout.UNPARTITIONED);
    }

    /**
     * @param dataSource a data source for the target database; its user must be able to create
     *                   tables, indexes, functions and materialized views
     * @param layout     the layout wanted for {@code job_objects} and {@code findings}
     */
    public SchemaMigrator(DataSource dataSource, SchemaLayout layout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /**
     * Migrates the database to the latest version, then, for {@link SchemaLayout#PARTITIONED}, makes
     * sure {@code job_objects} and {@code findings} are partitioned. Safe to call concurrently and
     * repeatedly: Flyway serialises migrations with its own lock and skips those already applied, and
     * the conversion is a no-op on partitioned tables.
     *
     * @return the number of migrations applied by this call (0 when up to date)
     * @throws org.flywaydb.core.api.FlywayException when a migration fails or the history is inconsistent
     *                                               (including {@code V3} refusing to partition tables
     *                                               that already hold rows)
     * @throws IllegalStateException                 when the database is unpartitioned, the layout is
     *                                               {@link SchemaLayout#PARTITIONED} and the tables already
     *                                               hold rows; the message is PostgreSQL's, e.g.
     *                                               {@code job_objects and findings already hold rows, so
     *                                               they are not partitioned automatically}
     */
    public int migrate() {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .placeholders(Map.of(PARTITIONED_PLACEHOLDER, layout.placeholderValue()))
                .load()
                .migrate();
        if (layout == SchemaLayout.PARTITIONED) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT scanner_use_partitioned_layout()");
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return result.migrationsExecuted;
    }

    /**
     * The layout the database has now, read from the catalog.
     *
     * @throws IllegalStateException when the database cannot be read or has no {@code job_objects} table
     */
    public SchemaLayout currentLayout() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT relkind FROM pg_class WHERE oid = to_regclass('job_objects')")) {
            if (!rs.next()) {
                throw new IllegalStateException("the database has no job_objects table: migrate it first");
            }
            return "p".equals(rs.getString(1)) ? SchemaLayout.PARTITIONED : SchemaLayout.UNPARTITIONED;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema layout: " + e.getMessage(), e);
        }
    }
}
