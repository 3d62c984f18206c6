package dev.s3scanner.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in a database transaction, retrying it when PostgreSQL reports a serialization
 * failure (SQLSTATE 40001) or a deadlock (40P01), which are safe to retry by definition.
 */
final class Transactions {
    private static final int ATTEMPTS = 5;

    private Transactions() {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    static <T> T inTransaction(DataSource ds, String what, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                last = e;
                if (!retryable(e)) {
                    break;
                }
                sleep(attempt);
            }
        }
        throw new StoreException(what + " failed: " + last.getMessage(), last);
    }

    static <T> T autoCommit(DataSource ds, String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep((long) (10 * attempt * (1 + Math.random())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
