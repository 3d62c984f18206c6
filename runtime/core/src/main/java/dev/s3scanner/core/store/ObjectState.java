package dev.s3scanner.core.store;

import java.util.Locale;

/** An object's state within a job, as stored in {@code job_objects.state} (lower case). */
public enum ObjectState {
    /** Recorded and handed to the queue; not yet scanned. */
    QUEUED,
    /** A worker is scanning it. */
    PROCESSING,
    /** Scanned completely (with or without findings). Terminal. */
    SUCCEEDED,
    /** Could not be scanned because of an error; {@code reason} says which. Terminal. */
    FAILED,
    /** Deliberately not scanned; {@code reason} says why. Terminal. */
    SKIPPED;

    /** The value stored in the database. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a stored value. */
    public static ObjectState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether this state is final for the object. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }
}
