package dev.s3scanner.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A job's counters as of the last refresh of the {@code job_progress} materialized view: cheap to
 * read, at most one refresh period old. The job's status is not part of it (read that live).
 *
 * @param jobId       the job
 * @param counters    counter values by metric, as in {@link JobProgress#counters()}; only the
 *                    metrics the view aggregates (per state, {@code listed}, {@code findings},
 *                    {@code bytes_scanned})
 * @param refreshedAt when the view was refreshed (the time these figures were true)
 */
public record CachedProgress(UUID jobId, Map<String, Long> counters, Instant refreshedAt) {
    public CachedProgress {
        counters = java.util.Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    /** A counter's value, 0 when absent. */
    public long count(String metric) {
        return counters.getOrDefault(metric, 0L);
    }
}
