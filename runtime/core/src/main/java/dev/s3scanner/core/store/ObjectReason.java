package dev.s3scanner.core.store;

/**
 * Reasons stored in {@code job_objects.reason} for objects that were not scanned completely.
 * {@code detail} holds the human-readable specifics (the storage class, the KMS key, the error).
 */
public final class ObjectReason {
    /** Skipped: a zero-byte key ending in {@code /} (a console "folder"). */
    public static final String FOLDER_MARKER = "folder_marker";
    /** Skipped: in an archive storage class (GLACIER, DEEP_ARCHIVE, archive access tiers) and not restored. */
    public static final String ARCHIVED = "archived";
    /** Skipped: deleted since it was listed (404 NoSuchKey / NoSuchVersion). */
    public static final String DELETED = "deleted";
    /** Skipped: overwritten since it was listed (the listed ETag no longer matches: 412). */
    public static final String CHANGED = "changed";
    /** Skipped: larger than the worker's size limit. */
    public static final String TOO_LARGE = "too_large";
    /** Skipped: binary content. */
    public static final String BINARY = "binary";
    /** Skipped: a format the scanner does not read. */
    public static final String UNSUPPORTED = "unsupported";
    /** Skipped: an archive beyond the depth, size or entry bounds (possible decompression bomb). */
    public static final String ARCHIVE_LIMIT = "archive_limit";
    /** Skipped: the job was cancelled before the object was scanned. */
    public static final String CANCELLED = "cancelled";
    /** Skipped: left out by the job's include/exclude filters ({@code detail} names the rule). */
    public static final String EXCLUDED = "excluded";
    /** Failed: access denied (403), IAM or bucket policy. */
    public static final String ACCESS_DENIED = "access_denied";
    /** Failed: access denied by KMS (the worker cannot decrypt with the object's key). */
    public static final String ACCESS_DENIED_KMS = "access_denied_kms";
    /** Failed: damaged content (for example a truncated gzip stream). */
    public static final String CORRUPT = "corrupt";
    /** Failed: the scan task could not be enqueued (a permanent SendMessageBatch entry failure). */
    public static final String ENQUEUE_FAILED = "enqueue_failed";
    /** Failed: the scan task's message went to the dead-letter queue after repeated failures. */
    public static final String DEAD_LETTERED = "dead_lettered";
    /** Failed: any other error; {@code detail} has the message. */
    public static final String ERROR = "error";

    private ObjectReason() {
    }
}
