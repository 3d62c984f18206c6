package dev.s3scanner.lister.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.store.CachedProgress;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.StoredFinding;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of jobs and findings in responses. */
final class JobJson {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] STATES = {"queued", "processing", "succeeded", "failed", "skipped"};

    private JobJson() {
    }

    /** The short form returned by {@code POST /scan} and {@code DELETE /jobs/{id}}. */
    static ObjectNode summary(Job job) {
        ObjectNode n = JSON.createObjectNode();
        n.put("job_id", job.jobId().toString());
        n.put("status", job.status().dbValue());
        if (job.statusReason() != null) {
            n.put("status_reason", job.statusReason());
        }
        n.put("bucket", job.bucket());
        n.put("prefix", job.prefix());
        n.put("source", job.source());
        n.put("created_at", text(job.createdAt()));
        return n;
    }

    /**
     * The full form of {@code GET /jobs/{id}}.
     *
     * @param job    the job row (read live)
     * @param live   live progress (status, listing state, counters including per-reason and per-detector ones)
     * @param cached the cached view row to take object counts from, or {@code null} for live figures
     */
    static ObjectNode detail(Job job, JobProgress live, CachedProgress cached) {
        ObjectNode n = JSON.createObjectNode();
        n.put("job_id", job.jobId().toString());
        n.put("bucket", job.bucket());
        n.put("prefix", job.prefix());
        n.put("source", job.source());
        n.put("status", live.status().dbValue());
        n.put("status_reason", live.statusReason());
        n.put("created_at", text(job.createdAt()));
        n.put("finished_at", text(job.finishedAt()));
        n.put("listing_done", live.listingDone());
        Map<String, Long> counters = cached != null ? cached.counters() : live.counters();
        ObjectNode objects = n.putObject("objects");
        objects.put("listed", counters.getOrDefault("listed", 0L));
        for (String state : STATES) {
            objects.put(state, counters.getOrDefault(state, 0L));
        }
        ObjectNode reasons = n.putObject("reasons");
        Map<String, Map<String, Long>> byState = new TreeMap<>();
        live.counters().forEach((metric, value) -> {
            int colon = metric.indexOf(':');
            if (colon > 0 && !metric.startsWith("findings:") && value != 0) {
                byState.computeIfAbsent(metric.substring(0, colon), k -> new TreeMap<>())
                        .put(metric.substring(colon + 1), value);
            }
        });
        byState.forEach((state, m) -> {
            ObjectNode s = reasons.putObject(state);
            m.forEach(s::put);
        });
        ObjectNode findings = n.putObject("findings");
        findings.put("total", counters.getOrDefault("findings", 0L));
        ObjectNode byDetector = findings.putObject("by_detector");
        live.byPrefix("findings:").forEach(byDetector::put);
        n.put("bytes_scanned", counters.getOrDefault("bytes_scanned", 0L));
        JobProgress figures = cached == null ? live
                : new JobProgress(live.jobId(), live.status(), live.statusReason(),
                        live.status().isFinal() && live.listingDone(), cached.counters(), cached.refreshedAt());
        n.put("progress_percent", figures.progressPercent());
        n.put("figures", cached == null ? "live" : "cached");
        n.put("as_of", text(figures.asOf()));
        n.set("options", options(job.optionsJson()));
        return n;
    }

    /** One finding: masked value and redacted context only. */
    static ObjectNode finding(StoredFinding f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("job_id", f.jobId().toString());
        n.put("bucket", f.bucket());
        n.put("key", f.key());
        n.put("entry_path", f.entryPath());
        n.put("detector", f.detector());
        n.put("offset", f.byteOffset());
        n.put("masked", f.maskedValue());
        n.put("context", f.context());
        n.put("found_at", text(f.createdAt()));
        return n;
    }

    private static JsonNode options(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
