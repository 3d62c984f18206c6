package dev.s3scanner.core.listing;

import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectState;
import java.time.Instant;

/**
 * Decides at listing time which objects are not worth a GET: zero-byte folder markers and objects
 * in archive storage classes that have no restored copy. Everything else is queued; objects in
 * S3 Intelligent-Tiering are queued too, because whether they sit in an archive access tier shows
 * only on GET or HEAD (the worker records {@code archived} when S3 answers
 * {@code InvalidObjectState}).
 *
 * <p>Sources: S3 User Guide, "Using Amazon S3 storage classes" and "Restoring an archived object"
 * (GLACIER and DEEP_ARCHIVE objects need a restore before GET; GLACIER_IR is read directly), and
 * the ListObjectsV2 {@code OptionalObjectAttributes=RestoreStatus} parameter.
 */
public final class ListingClassifier {
    private ListingClassifier() {
    }

    /**
     * Classifies one listed object.
     *
     * @param key               key as listed
     * @param etag              ETag as listed, or {@code null}
     * @param size              size in bytes
     * @param versionId         version id, or {@code null}
     * @param storageClass      storage class as listed ({@code null} means STANDARD)
     * @param lastModified      last-modified time, or {@code null}
     * @param restoreInProgress whether a restore is running ({@code null} when the listing did not say)
     * @param restoredUntil     expiry of the restored copy, or {@code null} when there is none
     * @return the object with its starting state
     */
    public static ListedObject classify(String key, String etag, long size, String versionId, String storageClass,
                                        Instant lastModified, Boolean restoreInProgress, Instant restoredUntil) {
        ListedObject o = ListedObject.queued(key, etag, size, versionId, storageClass, lastModified);
        if (size == 0 && key.endsWith("/")) {
            return o.withOutcome(ObjectState.SKIPPED, ObjectReason.FOLDER_MARKER, null);
        }
        if (isArchiveClass(storageClass)) {
            if (restoredUntil != null && !Boolean.TRUE.equals(restoreInProgress)) {
                return o; // a restored copy can be read
            }
            String detail = Boolean.TRUE.equals(restoreInProgress)
                    ? storageClass + ", restore in progress" : storageClass + ", not restored";
            return o.withOutcome(ObjectState.SKIPPED, ObjectReason.ARCHIVED, detail);
        }
        return o;
    }

    /** Storage classes whose objects must be restored before a GET. */
    public static boolean isArchiveClass(String storageClass) {
        return "GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass);
    }
}
