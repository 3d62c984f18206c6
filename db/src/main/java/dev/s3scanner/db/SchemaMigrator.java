package dev.s3scanner.db;

import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the scanner's Flyway migrations ({@code classpath:db/migration}) to a PostgreSQL database.
 * Used by the deploy-time migration function, the local runner and tests: the schema changes only
 * through these migrations.
 */
public final class SchemaMigrator {
    /** Where the migrations live on the classpath. */
    public static final String LOCATION = "classpath:db/migration";

    private final DataSource dataSource;

    /**
     * @param dataSource a data source for the target database; its user must be able to create
     *                   tables, indexes and materialized views
     */
    public SchemaMigrator(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Migrates the database to the latest version. Safe to call concurrently and repeatedly:
     * Flyway serialises migrations with its own lock and skips those already applied.
     *
     * @return the number of migrations applied by this call (0 when up to date)
     * @throws org.flywaydb.core.api.FlywayException when a migration fails or the history is inconsistent
     */
    public int migrate() {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
