package dev.s3scanner.refresher;

import java.sql.Connection;
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
 * <p>The whole refresh is one statement, {@code SELECT scanner_refresh_job_progress()} (migration
 * {@code V3}), run in auto-commit mode, i.e. in a transaction of its own:
 * <ul>
 *   <li>refreshes never overlap or queue up: the function first takes
 *       {@code pg_try_advisory_xact_lock(LOCK_KEY)} and returns {@code false} at once when another
 *       refresh holds it; the lock ends with the transaction;</li>
 *   <li>nothing pins an RDS Proxy session: no {@code SET} or {@code set_config} from the client, no
 *       session-level advisory lock (RDS Proxy does not pin on transaction-level ones), no named
 *       prepared statement (the pool's {@code prepareThreshold=0});</li>
 *   <li>waits are bounded twice: the function runs with {@code lock_timeout = 10s} (a function
 *       setting, in force only while it runs), and the statement has a client-side timeout
 *       ({@link Statement#setQueryTimeout}, which sends a cancel request).</li>
 * </ul>
 * Every call logs whether it refreshed and how long it took.
 *
 * <p>The view aggregates the per-job counter rows of the jobs that are open or finished in the last
 * 24 hours, so its cost grows with neither the number of objects nor the number of jobs ever run.
 */
public final class ProgressViewRefresher {
    /**
     * Advisory lock key the refresh function takes (arbitrary, fixed: "S3scan" + 1); must equal the
     * literal in {@code scanner_refresh_job_progress()}.
     */
    public static final long LOCK_KEY = 0x5333_7363_616e_0001L;
    private static final Logger LOG = LoggerFactory.getLogger(ProgressViewRefresher.class);

    private final DataSource ds;
    private final Duration timeout;

    /**
     * @param ds      data source (a pool of 1 is enough)
     * @param timeout the longest a refresh may run before the client cancels it; whole seconds, at least 1
     * @throws IllegalArgumentException when {@code timeout} is shorter than one second
     */
    public ProgressViewRefresher(DataSource ds, Duration timeout) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 second, was " + timeout);
        }
    }

    /**
     * What one call did.
     *
     * @param refreshed whether this call refreshed the view (false: another refresh held the lock)
     * @param duration  how long the call took, including getting a connection
     */
    public record Result(boolean refreshed, Duration duration) {
    }

    /**
     * Refreshes the view unless another refresh is running.
     *
     * @return whether it refreshed, and how long the call took
     * @throws SQLException when the refresh fails, cannot get its locks within the lock timeout
     *                      (SQLSTATE 55P03, "canceling statement due to lock timeout") or runs longer
     *                      than the timeout (57014, "canceling statement due to user request")
     */
    public Result refresh() throws SQLException {
        long start = System.nanoTime();
        boolean refreshed;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) timeout.toSeconds());
            try (ResultSet rs = s.executeQuery("SELECT scanner_refresh_job_progress()")) {
                rs.next();
                refreshed = rs.getBoolean(1);
            }
        } catch (SQLException e) {
            LOG.warn("job_progress refresh failed after {} ms: {} (SQLSTATE {})", millisSince(start), e.getMessage(),
                    e.getSQLState());
            throw e;
        }
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        if (refreshed) {
            LOG.info("job_progress refreshed in {} ms", d.toMillis());
        } else {
            LOG.info("job_progress refresh skipped after {} ms: another refresh is running", d.toMillis());
        }
        return new Result(refreshed, d);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
