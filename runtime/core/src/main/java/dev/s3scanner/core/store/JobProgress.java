package dev.s3scanner.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A job's progress: its status and counters.
 *
 * @param jobId        the job
 * @param status       status
 * @param statusReason why it failed, or {@code null}
 * @param listingDone  whether listing has finished
 * @param counters     counter values by metric: {@code listed}, {@code queued}, {@code processing},
 *                     {@code succeeded}, {@code failed}, {@code skipped}, {@code <state>:<reason>},
 *                     {@code findings}, {@code findings:<detector>}, {@code bytes_scanned}
 * @param asOf         when these figures were true (now for live reads, the refresh time for cached ones)
 */
public record JobProgress(UUID jobId, JobStatus status, String statusReason, boolean listingDone,
                          Map<String, Long> counters, Instant asOf) {
    public JobProgress {
        counters = java.util.Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    /** A counter's value, 0 when absent. */
    public long count(String metric) {
        return counters.getOrDefault(metric, 0L);
    }

    /** Objects recorded by listing. */
    public long listed() {
        return count("listed");
    }

    /** Objects in a terminal state. */
    public long done() {
        return count("succeeded") + count("failed") + count("skipped");
    }

    /** Findings stored. */
    public long findings() {
        return count("findings");
    }

    /** Counters of one kind: {@code byPrefix("findings:")} gives findings per detector, keyed by detector. */
    public Map<String, Long> byPrefix(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.startsWith(prefix) && v != 0) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * Percentage of listed objects in a terminal state, 0–100 with one decimal. A completed job is
     * 100 even with zero objects; a job still listing never reports 100.
     */
    public double progressPercent() {
        if (status == JobStatus.COMPLETED) {
            return 100.0;
        }
        long listed = listed();
        if (listed == 0) {
            return 0.0;
        }
        double pct = Math.floor(1000.0 * done() / listed) / 10.0;
        return listingDone ? pct : Math.min(pct, 99.9);
    }
}
