package dev.s3scanner.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.testing.PinningWatch;
import dev.s3scanner.core.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The refresher against the real PostgreSQL server, each refresher on connections of its own. */
class ProgressViewRefresherTest {
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(4);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    /** A pool of one connection, as the refresh function has. */
    private static HikariDataSource onePool(String url) {
        return DataSources.create(DatabaseSettings.ofJdbcUrl(url, null, null), 1, "refresher-test", arn -> {
            throw new IllegalStateException("no secrets in tests");
        });
    }

    /** Runs {@code sql} in a transaction left open, so its locks are held until {@link #release}. */
    private static Connection holdLock(String sql) throws SQLException {
        Connection c = db.dataSource().getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return c;
    }

    private static void release(Connection c) throws SQLException {
        c.rollback();
        c.setAutoCommit(true);
        c.close();
    }

    @Test
    void refreshBringsTheViewUpToTheCounters() throws Exception {
        // given
        JobStore store = db.store();
        Job job = store.createJob(NewJob.of("bucket-refresh", ""));
        store.recordPage(job.jobId(), "", null, List.of(ListedObject.queued("a", null, 1, null, null, null),
                ListedObject.queued("b", null, 1, null, null, null)));
        try (HikariDataSource ds = onePool(db.url())) {
            // when
            ProgressViewRefresher.Result r = new ProgressViewRefresher(ds, Duration.ofSeconds(30)).refresh();

            // then
            assertThat(r.refreshed()).isTrue();
            assertThat(r.duration()).isPositive();
            assertThat(db.query("SELECT status, listed, queued FROM job_progress WHERE job_id = ?", job.jobId()))
                    .containsExactly(List.of("listing", "2", "2"));
        }
    }

    @Test
    void twoRefreshersStartedTogetherDoNotBothRefresh() throws Exception {
        // given: two refreshers, each with its own connection; the first to take the lock is kept
        // inside its refresh (a DDL lock on jobs makes it wait) until the other has returned
        try (HikariDataSource a = onePool(db.url()); HikariDataSource b = onePool(db.url())) {
            ProgressViewRefresher first = new ProgressViewRefresher(a, Duration.ofSeconds(30));
            ProgressViewRefresher second = new ProgressViewRefresher(b, Duration.ofSeconds(30));
            a.getConnection().close();
            b.getConnection().close();
            Connection blocker = holdLock("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            ExecutorCompletionService<ProgressViewRefresher.Result> done = new ExecutorCompletionService<>(pool);
            CyclicBarrier together = new CyclicBarrier(2);
            try {
                // when
                done.submit(() -> {
                    together.await();
                    return first.refresh();
                });
                done.submit(() -> {
                    together.await();
                    return second.refresh();
                });
                Future<ProgressViewRefresher.Result> earlier = done.poll(20, TimeUnit.SECONDS);
                ProgressViewRefresher.Result returnedFirst = earlier.get();
                release(blocker);
                ProgressViewRefresher.Result returnedLast = done.take().get();

                // then: the one that returned while the other was still refreshing skipped
                assertThat(returnedFirst.refreshed()).isFalse();
                assertThat(returnedFirst.duration()).isLessThan(Duration.ofSeconds(5));
                assertThat(returnedLast.refreshed()).isTrue();
            } finally {
                pool.shutdownNow();
            }
            // and the lock ended with the refresh's transaction: the next refresh runs
            assertThat(second.refresh().refreshed()).isTrue();
            assertThat(db.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo("0");
        }
    }

    @Test
    void aRefreshThatCannotGetTheViewFailsAtTheLockTimeout() throws Exception {
        // given: a manual REFRESH without CONCURRENTLY holds the view
        Connection blocker = holdLock("REFRESH MATERIALIZED VIEW job_progress");
        try (HikariDataSource ds = onePool(db.url())) {
            ProgressViewRefresher refresher = new ProgressViewRefresher(ds, Duration.ofSeconds(30));
            long start = System.nanoTime();

            // when / then
            assertThatThrownBy(refresher::refresh)
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("ERROR: canceling statement due to lock timeout")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("55P03");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(25));
        } finally {
            release(blocker);
        }
    }

    @Test
    void aRefreshLongerThanTheTimeoutIsCancelledByTheClient() throws Exception {
        // given
        Connection blocker = holdLock("REFRESH MATERIALIZED VIEW job_progress");
        try (HikariDataSource ds = onePool(db.url())) {
            ProgressViewRefresher refresher = new ProgressViewRefresher(ds, Duration.ofSeconds(1));

            // when / then
            assertThatThrownBy(refresher::refresh)
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("ERROR: canceling statement due to user request")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
        } finally {
            release(blocker);
        }
    }

    @Test
    void aTimeoutUnderOneSecondIsRejected() {
        // when / then
        assertThatThrownBy(() -> new ProgressViewRefresher(db.dataSource(), Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be at least 1 second, was PT0.5S");
    }

    @Test
    void aRefreshSendsNothingThatPinsAnRdsProxySession() throws Exception {
        // given
        try (PinningWatch watch = PinningWatch.start(); HikariDataSource ds = onePool(watch.jdbcUrl(db.name()))) {
            ProgressViewRefresher refresher = new ProgressViewRefresher(ds, Duration.ofSeconds(30));

            // when
            refresher.refresh();
            refresher.refresh();

            // then
            assertThat(watch.statements()).contains("SELECT scanner_refresh_job_progress()");
            assertThat(watch.pins()).isEmpty();
        }
    }

    @Test
    void theScheduledFunctionWritesWhatItDid() throws Exception {
        // given
        try (HikariDataSource ds = onePool(db.url())) {
            RefreshHandler handler = new RefreshHandler(new ProgressViewRefresher(ds, Duration.ofSeconds(30)),
                    RefreshHandler.metrics(dev.s3scanner.core.config.Env.of(java.util.Map.of())));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            // when
            handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), out, null);

            // then
            assertThat(out.toString(StandardCharsets.UTF_8)).matches("\\{\"refreshed\":true,\"duration_ms\":\\d+}");
        }
    }
}
