package dev.s3scanner.core.store;

import java.util.Objects;
import java.util.Set;

/**
 * The result of recording one listed page.
 *
 * @param recordedNow   whether this call recorded the page (false: a replay of a page already recorded)
 * @param enqueued      whether the page's scan tasks were already all sent (only possible on a replay)
 * @param nextToken     the continuation token after this page as first recorded, or {@code null} for the last page
 * @param duplicateKeys keys of this page that the job already had a row for (recorded by another page,
 *                      e.g. after a listing was resumed from a different token): their rows were left
 *                      as they were and they must not be enqueued again; empty in the common case
 */
public record PageRecord(boolean recordedNow, boolean enqueued, String nextToken, Set<String> duplicateKeys) {
    public PageRecord {
        duplicateKeys = Set.copyOf(Objects.requireNonNull(duplicateKeys, "duplicateKeys"));
    }

    /** A result with no duplicate keys. */
    public PageRecord(boolean recordedNow, boolean enqueued, String nextToken) {
        this(recordedNow, enqueued, nextToken, Set.of());
    }
}
