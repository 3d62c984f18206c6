package dev.s3scanner.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.detect.DetectionOptions;
import dev.s3scanner.core.store.Job;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The content scanner for each job, built once from the job's detection options
 * ({@code options.detection} in the jobs row, {@link DetectionOptions}'s JSON) and cached by job
 * id. Jobs without options share one default scanner.
 */
final class JobScanners implements Function<Job, ContentScanner> {
    private static final int MAX_CACHED = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContentScanner defaults = ContentScanner.defaults();
    private final Map<UUID, ContentScanner> byJob = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException when the job's options are not valid detection options
     */
    @Override
    public ContentScanner apply(Job job) {
        ContentScanner cached = byJob.get(job.jobId());
        if (cached != null) {
            return cached;
        }
        ContentScanner scanner = build(job.optionsJson());
        if (byJob.size() >= MAX_CACHED) {
            byJob.clear();
        }
        byJob.put(job.jobId(), scanner);
        return scanner;
    }

    private ContentScanner build(String optionsJson) {
        JsonNode detection;
        try {
            detection = optionsJson == null ? null : JSON.readTree(optionsJson).get("detection");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job options are not JSON: " + e.getOriginalMessage(), e);
        }
        if (detection == null || detection.isNull()) {
            return defaults;
        }
        try {
            return ContentScanner.forOptions(JSON.treeToValue(detection, DetectionOptions.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid detection options: " + e.getOriginalMessage(), e);
        }
    }
}
