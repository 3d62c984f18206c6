package dev.s3scanner.core.store;

/** A database operation failed. The cause is the driver's {@link java.sql.SQLException}. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the cause is a lost or refused connection (the database is unreachable or failing over). */
    public boolean isConnectionFailure() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
