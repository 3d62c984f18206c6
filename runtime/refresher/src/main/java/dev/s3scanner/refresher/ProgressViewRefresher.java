package dev.s3scanner.refresher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the {@code job_progress} materialized view with
 * {@code REFRESH MATERIALIZED VIEW CONCURRENTLY} (readers are never blocked), so that dashboards
 * and cached progress reads stay within one schedule period of the live counters.
 *
 * <p>Refreshes never overlap or queue up: each runs in a transaction that first takes
 * {@code pg_try_advisory_xact_lock}; a run that does not get the lock skips. A transaction-level
 * lock is released at commit and does not pin an RDS Proxy session (session-level locks do). The
 * statement has a client-side timeout (no {@code SET statement_timeout}, which would pin).
 * The view aggregates the per-job counter rows, so its cost grows with jobs, not objects.
 */
public final class ProgressViewRefresher {
    /** Advisory lock key for the refresh (arbitrary, fixed: "s3scanner job_progress"). */
    public static final long LOCK_KEY = 0x5333_7363_616e_0001L;
    private static final Logger LOG = LoggerFactory.getLogger(ProgressViewRefresher.class);

    private final DataSource ds;
    private final Duration timeout;

    /**
     * @param ds      data source
     * @param timeout the longest a refresh may run before it is cancelled
     */
    public ProgressViewRefresher(DataSource ds, Duration timeout) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * What one call did.
     *
     * @param refreshed whether this call refreshed the view (false: another refresh held the lock)
     * @param duration  how long the call took
     */
    public record Result(boolean refreshed, Duration duration) {
    }

    /**
     * Refreshes the view unless another refresh is running.
     *
     * @throws SQLException when the refresh fails or times out
     */
    public Result refresh() throws SQLException {
        long start = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean locked;
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                    ps.setLong(1, LOCK_KEY);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        locked = rs.getBoolean(1);
                    }
                }
                if (!locked) {
                    c.rollback();
                    Duration d = Duration.ofNanos(System.nanoTime() - start);
                    LOG.info("job_progress refresh skipped: another refresh is running");
                    return new Result(false, d);
                }
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                    s.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY job_progress");
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("job_progress refreshed in {} ms", d.toMillis());
        return new Result(true, d);
    }
}
