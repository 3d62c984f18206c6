package dev.s3scanner.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An object as listed, with the state it starts in.
 *
 * @param key          the key exactly as S3 returned it
 * @param etag         the ETag as listed (with its quotes), or {@code null}
 * @param size         size in bytes
 * @param versionId    version id, or {@code null}
 * @param storageClass storage class as listed, or {@code null}
 * @param lastModified last-modified time, or {@code null}
 * @param state        {@link ObjectState#QUEUED} for objects to scan, or a terminal state decided at listing
 * @param reason       the reason for a terminal state, else {@code null}
 * @param detail       details for the reason, else {@code null}
 */
public record ListedObject(String key, String etag, long size, String versionId, String storageClass,
                           Instant lastModified, ObjectState state, String reason, String detail) {
    public ListedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        if (state == ObjectState.PROCESSING || state == ObjectState.SUCCEEDED) {
            throw new IllegalArgumentException("a listed object starts queued or skipped/failed, not " + state);
        }
    }

    /** An object to scan. */
    public static ListedObject queued(String key, String etag, long size, String versionId, String storageClass,
                                      Instant lastModified) {
        return new ListedObject(key, etag, size, versionId, storageClass, lastModified, ObjectState.QUEUED, null, null);
    }

    /** The same object, decided at listing time to end in {@code state} for {@code reason}. */
    public ListedObject withOutcome(ObjectState state, String reason, String detail) {
        return new ListedObject(key, etag, size, versionId, storageClass, lastModified, state, reason, detail);
    }
}
