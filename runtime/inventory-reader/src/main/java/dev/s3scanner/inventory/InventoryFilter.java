package dev.s3scanner.inventory;

import java.util.Objects;

/**
 * Which inventory rows a job scans: rows under the job's prefix, never delete markers (they have
 * no content), and only current versions unless asked for every version.
 *
 * <p>Every version is a reader-level option: {@code job_objects} holds one row per job and key,
 * so the list-batch path ({@link InventoryBatch}) always scans current versions only.
 *
 * @param prefix                   the job's key prefix, compared with the decoded key as a raw
 *                                 string (never decoded itself), {@code ""} for all
 * @param includeNonLatestVersions whether rows with {@code IsLatest=false} are scanned too
 */
public record InventoryFilter(String prefix, boolean includeNonLatestVersions) {
    public InventoryFilter {
        Objects.requireNonNull(prefix, "prefix");
    }

    /** Current versions under {@code prefix}. */
    public static InventoryFilter currentVersions(String prefix) {
        return new InventoryFilter(prefix, false);
    }

    /** Whether the row is scanned. */
    public boolean accepts(InventoryRow row) {
        return !row.deleteMarker() && (includeNonLatestVersions || row.latest()) && row.key().startsWith(prefix);
    }
}
