package dev.s3scanner.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Migrations in both layouts, and switching an existing database between them. */
class SchemaMigratorTest {
    private static final String INDEXES = """
            SELECT x.indrelid::regclass::text, x.indexrelid::regclass::text
            FROM pg_index x
            WHERE x.indrelid IN ('job_objects'::regclass, 'findings'::regclass)
            ORDER BY 1, 2""";
    private static final String COLUMNS = """
            SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, ''), is_identity
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name IN ('job_objects', 'findings')
            ORDER BY table_name, ordinal_position""";

    private static UUID addJobWithRows(ScratchDatabase db) {
        UUID job = UUID.randomUUID();
        db.execute("INSERT INTO jobs (job_id, bucket, tenant) VALUES ('" + job + "', 'b', 'b')",
                "INSERT INTO job_objects (job_id, key, size, state) VALUES ('" + job + "', 'a.txt', 1, 'succeeded')",
                "INSERT INTO findings (job_id, key, detector, byte_offset, masked_value, context) "
                        + "VALUES ('" + job + "', 'a.txt', 'email', 0, 'x***@example.com', 'c')");
        return job;
    }

    @Test
    void defaultLayoutIsUnpartitioned() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // when
            SchemaMigrator migrator = new SchemaMigrator(db.dataSource());
            migrator.migrate();

            // then
            assertThat(migrator.currentLayout()).isEqualTo(SchemaLayout.UNPARTITIONED);
            assertThat(db.scalar("SELECT relkind FROM pg_class WHERE oid = 'findings'::regclass")).isEqualTo("r");
        }
    }

    @Test
    void partitionedLayoutHasTheSameColumnsAndIndexNamesAsTheUnpartitionedOne() {
        try (ScratchDatabase plain = new ScratchDatabase(); ScratchDatabase partitioned = new ScratchDatabase()) {
            // given
            new SchemaMigrator(plain.dataSource(), SchemaLayout.UNPARTITIONED).migrate();

            // when
            SchemaMigrator migrator = new SchemaMigrator(partitioned.dataSource(), SchemaLayout.PARTITIONED);
            migrator.migrate();

            // then
            assertThat(migrator.currentLayout()).isEqualTo(SchemaLayout.PARTITIONED);
            assertThat(partitioned.scalar("SELECT relkind FROM pg_class WHERE oid = 'findings'::regclass")).isEqualTo("p");
            assertThat(partitioned.query(INDEXES)).isEqualTo(plain.query(INDEXES)).isNotEmpty();
            assertThat(stripSequenceNames(partitioned.query(COLUMNS))).isEqualTo(stripSequenceNames(plain.query(COLUMNS)));
        }
    }

    private static List<List<String>> stripSequenceNames(List<List<String>> rows) {
        return rows.stream().map(r -> r.stream().map(v -> v.replaceAll("nextval\\('[^']*'", "nextval(")).toList()).toList();
    }

    @Test
    void theProgressViewIsPopulatedSoTheFirstConcurrentRefreshWorks() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // given
            new SchemaMigrator(db.dataSource()).migrate();

            // when
            String refreshed = db.scalar("SELECT scanner_refresh_job_progress()");

            // then
            assertThat(db.scalar("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'job_progress'")).isEqualTo("t");
            assertThat(refreshed).isEqualTo("t");
        }
    }

    @Test
    void anEmptyUnpartitionedDatabaseIsPartitionedWhenTheSettingLaterSaysSo() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // given: migrated unpartitioned, with a job that has no rows yet
            new SchemaMigrator(db.dataSource(), SchemaLayout.UNPARTITIONED).migrate();
            UUID job = UUID.randomUUID();
            db.execute("INSERT INTO jobs (job_id, bucket, tenant) VALUES ('" + job + "', 'b', 'b')");

            // when: the same migrations run again with the other placeholder value
            SchemaMigrator migrator = new SchemaMigrator(db.dataSource(), SchemaLayout.PARTITIONED);
            int applied = migrator.migrate();

            // then: Flyway accepts the history (no checksum mismatch), and the job got its partitions
            assertThat(applied).isZero();
            assertThat(migrator.currentLayout()).isEqualTo(SchemaLayout.PARTITIONED);
            String suffix = job.toString().replace("-", "");
            assertThat(db.scalar("SELECT count(*) FROM pg_inherits WHERE inhrelid IN (to_regclass('job_objects_" + suffix
                    + "'), to_regclass('findings_" + suffix + "'))")).isEqualTo("2");
        }
    }

    @Test
    void anUnpartitionedDatabaseWithRowsIsNotConvertedByAMigration() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // given
            new SchemaMigrator(db.dataSource(), SchemaLayout.UNPARTITIONED).migrate();
            addJobWithRows(db);
            SchemaMigrator partitioned = new SchemaMigrator(db.dataSource(), SchemaLayout.PARTITIONED);

            // when / then
            assertThatThrownBy(partitioned::migrate)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("ERROR: job_objects and findings already hold rows, so they are not "
                            + "partitioned automatically\n  Hint: Keep SCANNER_PARTITIONED=false, or move the rows in a "
                            + "maintenance window with SELECT scanner_use_partitioned_layout(move_rows => true)");
            assertThat(partitioned.currentLayout()).isEqualTo(SchemaLayout.UNPARTITIONED);
            assertThat(db.scalar("SELECT count(*) FROM job_objects")).isEqualTo("1");
        }
    }

    @Test
    void aFreshMigrationWithThePlaceholderRefusesTablesThatHoldRows() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // given: a database just before V3 that already has rows
            org.flywaydb.core.Flyway.configure().dataSource(db.dataSource()).locations(SchemaMigrator.LOCATION)
                    .target("2").placeholders(java.util.Map.of("partitioned", "false")).load().migrate();
            addJobWithRows(db);

            // when / then: V3 fails and is rolled back, nothing half-done
            assertThatThrownBy(() -> new SchemaMigrator(db.dataSource(), SchemaLayout.PARTITIONED).migrate())
                    .isInstanceOf(org.flywaydb.core.api.FlywayException.class)
                    .hasMessageContaining("job_objects and findings already hold rows, so they are not partitioned automatically");
            assertThat(db.scalar("SELECT count(*) FROM flyway_schema_history WHERE version = '3'")).isEqualTo("0");
            assertThat(db.scalar("SELECT to_regprocedure('scanner_prepare_job(uuid)') IS NULL")).isEqualTo("t");
            assertThat(db.scalar("SELECT count(*) FROM job_objects")).isEqualTo("1");
        }
    }

    @Test
    void movingRowsKeepsThemAndTheFindingIds() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // given
            new SchemaMigrator(db.dataSource(), SchemaLayout.UNPARTITIONED).migrate();
            UUID job = addJobWithRows(db);
            String findingId = db.scalar("SELECT finding_id FROM findings");

            // when
            String converted = db.scalar("SELECT scanner_use_partitioned_layout(move_rows => true)");
            db.execute("INSERT INTO findings (job_id, key, detector, byte_offset, masked_value, context) "
                    + "VALUES ('" + job + "', 'a.txt', 'email', 99, 'y***@example.com', 'c')");

            // then
            assertThat(converted).isEqualTo("t");
            assertThat(db.scalar("SELECT relkind FROM pg_class WHERE oid = 'job_objects'::regclass")).isEqualTo("p");
            assertThat(db.query("SELECT key, state FROM job_objects_" + job.toString().replace("-", "")))
                    .containsExactly(List.of("a.txt", "succeeded"));
            assertThat(db.query("SELECT finding_id FROM findings ORDER BY finding_id"))
                    .containsExactly(List.of(findingId), List.of(String.valueOf(Long.parseLong(findingId) + 1)));
        }
    }

    @Test
    void aPartitionedDatabaseStaysPartitionedWhenTheSettingIsFalse() {
        try (ScratchDatabase db = new ScratchDatabase()) {
            // given
            new SchemaMigrator(db.dataSource(), SchemaLayout.PARTITIONED).migrate();

            // when
            SchemaMigrator unpartitioned = new SchemaMigrator(db.dataSource(), SchemaLayout.UNPARTITIONED);
            int applied = unpartitioned.migrate();

            // then
            assertThat(applied).isZero();
            assertThat(unpartitioned.currentLayout()).isEqualTo(SchemaLayout.PARTITIONED);
        }
    }

    @Test
    void preparingAJobCreatesItsPartitionsOnlyInThePartitionedLayout() {
        try (ScratchDatabase plain = new ScratchDatabase(); ScratchDatabase partitioned = new ScratchDatabase()) {
            // given
            new SchemaMigrator(plain.dataSource(), SchemaLayout.UNPARTITIONED).migrate();
            new SchemaMigrator(partitioned.dataSource(), SchemaLayout.PARTITIONED).migrate();
            UUID job = UUID.randomUUID();

            // when
            String inPlain = plain.scalar("SELECT scanner_prepare_job(?)", job);
            String first = partitioned.scalar("SELECT scanner_prepare_job(?)", job);
            String again = partitioned.scalar("SELECT scanner_prepare_job(?)", job);

            // then
            assertThat(inPlain).isEqualTo("f");
            assertThat(first).isEqualTo("t");
            assertThat(again).isEqualTo("f");
            assertThat(partitioned.scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'job_objects'::regclass"))
                    .isEqualTo("1");
        }
    }
}
