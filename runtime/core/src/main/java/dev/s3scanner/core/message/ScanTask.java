package dev.s3scanner.core.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The body of one scan-task SQS message: many objects of one job.
 *
 * @param version message format version, {@link ScanTaskCodec#VERSION}
 * @param jobId   the job
 * @param bucket  the bucket the objects are in
 * @param objects the objects, at least one
 */
public record ScanTask(@JsonProperty("v") int version, @JsonProperty("job_id") UUID jobId,
                       @JsonProperty("bucket") String bucket, @JsonProperty("objects") List<ObjectRef> objects) {
    public ScanTask {
        Objects.requireNonNull(jobId, "job_id");
        Objects.requireNonNull(bucket, "bucket");
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("a scan task needs at least one object");
        }
    }
}
