package dev.s3scanner.core.store;

import java.util.Locale;

/** A job's status, as stored in {@code jobs.status} (lower case). */
public enum JobStatus {
    /** Objects are being listed (and may already be scanned). */
    LISTING,
    /** Listing is done; objects are being scanned. */
    PROCESSING,
    /** Every listed object reached a terminal state. */
    COMPLETED,
    /** Listing failed; {@code status_reason} says why. */
    FAILED,
    /** Cancelled by a user: no new objects are handed out. */
    CANCELLED;

    /** The value stored in the database and shown by the API. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a stored value. */
    public static JobStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether no further change is expected. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
