package dev.s3scanner.core.store;

import java.util.Objects;
import java.util.UUID;

/**
 * A job to create.
 *
 * @param jobId          the id to give it
 * @param bucket         S3 bucket to scan
 * @param prefix         key prefix, {@code ""} for the whole bucket; stored as given, never decoded
 * @param source         {@code list} (ListObjectsV2) or {@code inventory} (S3 Inventory report)
 * @param tenant         the fair-queue tenant (SQS MessageGroupId), normally the bucket
 * @param optionsJson    job options as a JSON object (detectors, custom detectors, allow list, filters)
 * @param idempotencyKey a client-supplied key that makes retries of the same request return the
 *                       same job, or {@code null}
 */
public record NewJob(UUID jobId, String bucket, String prefix, String source, String tenant, String optionsJson,
                     String idempotencyKey) {
    public NewJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(optionsJson, "optionsJson");
    }

    /** A ListObjectsV2 job with default options, tenant = bucket, a random id. */
    public static NewJob of(String bucket, String prefix) {
        return new NewJob(UUID.randomUUID(), bucket, prefix, "list", bucket, "{}", null);
    }
}
