package dev.s3scanner.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.testing.PinningWatch;
import dev.s3scanner.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the job store sends to PostgreSQL contains nothing that makes RDS Proxy pin a session
 * ({@code cases/16}): every statement is watched on the wire by {@link PinningWatch}.
 */
class RdsProxyPinningTest {
    private static TestDatabase db;
    private static PinningWatch watch;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create(2);
        watch = PinningWatch.start();
    }

    @AfterAll
    static void stop() throws Exception {
        watch.close();
        db.close();
    }

    @BeforeEach
    void forget() {
        watch.clear();
    }

    private static HikariDataSource poolThroughTheWatch() {
        return DataSources.create(DatabaseSettings.ofJdbcUrl(watch.jdbcUrl(db.name()), null, null), 2, "pinning-test",
                arn -> {
                    throw new IllegalStateException("no secrets in tests");
                });
    }

    @Test
    void aWholeJobThroughThePoolSendsNothingThatPins() {
        // given
        try (HikariDataSource ds = poolThroughTheWatch()) {
            JobStore store = new JobStore(ds);

            // when: every kind of call a job makes, from creation to results and progress reads
            Job job = store.createJob(NewJob.of("bucket-pinning", ""));
            store.recordPage(job.jobId(), "", null, List.of(ListedObject.queued("a.txt", "\"e1\"", 10, null, "STANDARD", null),
                    ListedObject.queued("b.bin", "\"e2\"", 10, null, "STANDARD", null)));
            store.markPageEnqueued(job.jobId(), "");
            store.finishListing(job.jobId());
            store.openObjects(job.jobId(), Set.of("a.txt", "b.bin"));
            store.recordResults(job.jobId(), List.of(
                    ObjectResult.succeeded("a.txt", List.of(new Finding("email", 0, "", "x***@example.com", "c")), 1, 10),
                    ObjectResult.skipped("b.bin", ObjectReason.BINARY, null)));
            store.liveProgress(job.jobId());
            store.cachedProgress(job.jobId());
            store.findings(job.jobId(), 0, null, null, 10);
            store.objects(job.jobId(), null, 10);
            store.cancelJob(store.createJob(NewJob.of("bucket-pinning", "other/")).jobId());
        }

        // then
        assertThat(watch.statements()).anySatisfy(s -> assertThat(s).startsWith("COPY job_objects"));
        assertThat(watch.statements()).anySatisfy(s -> assertThat(s).startsWith("COPY findings"));
        assertThat(watch.pins()).isEmpty();
    }

    @Test
    void thePoolSendsTheDriverSettingsInTheStartupMessage() throws Exception {
        // given
        try (HikariDataSource ds = poolThroughTheWatch(); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // when
            s.execute("SELECT 1");
        }

        // then
        assertThat(watch.startupParameters()).isNotEmpty().allSatisfy(p -> assertThat(p)
                .containsEntry("application_name", "pinning-test"));
        assertThat(watch.pins()).isEmpty();
    }

    @Test
    void aDriverConnectionWithDefaultSettingsIsSeenToPin() throws Exception {
        // given: pgjdbc without assumeMinServerVersion (what DataSources avoids)
        try (Connection c = DriverManager.getConnection(watch.jdbcUrl(db.name())); Statement s = c.createStatement()) {
            // when
            s.execute("SELECT 1");
        }

        // then
        assertThat(watch.pins()).contains(new PinningWatch.Pin("SET/RESET of a session setting", "SET application_name = 'PostgreSQL JDBC Driver'"));
    }

    @Test
    void sessionStateStatementsAreReportedAndTransactionScopedLocksAreNot() {
        // when / then
        assertThat(PinningWatch.reasons("SELECT pg_try_advisory_lock(1)")).containsExactly("session-level advisory lock");
        assertThat(PinningWatch.reasons("select pg_advisory_lock_shared(1)")).containsExactly("session-level advisory lock");
        assertThat(PinningWatch.reasons("SELECT pg_try_advisory_xact_lock(1)")).isEmpty();
        assertThat(PinningWatch.reasons("  set statement_timeout = '1s'")).containsExactly("SET/RESET of a session setting");
        assertThat(PinningWatch.reasons("SELECT set_config('lock_timeout', '1s', true)")).containsExactly("set_config");
        assertThat(PinningWatch.reasons("CREATE TEMP TABLE t (x int)")).containsExactly("temporary object");
        assertThat(PinningWatch.reasons("SELECT '" + "x".repeat(17_000) + "'")).containsExactly("statement text over 16 KB");
        assertThat(PinningWatch.reasons("SELECT scanner_refresh_job_progress()")).isEmpty();
    }
}
