package dev.s3scanner.core.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code jobs}.
 *
 * @param jobId        id
 * @param bucket       bucket scanned
 * @param prefix       key prefix (raw)
 * @param source       {@code list} or {@code inventory}
 * @param tenant       fair-queue tenant
 * @param optionsJson  options as JSON
 * @param status       current status
 * @param statusReason why it failed, or {@code null}
 * @param listingDone  whether every page has been recorded and enqueued
 * @param pagesListed  pages recorded so far
 * @param createdAt    when it was created
 * @param finishedAt   when it reached a final status, or {@code null}
 */
public record Job(UUID jobId, String bucket, String prefix, String source, String tenant, String optionsJson,
                  JobStatus status, String statusReason, boolean listingDone, long pagesListed, Instant createdAt,
                  Instant finishedAt) {
}
