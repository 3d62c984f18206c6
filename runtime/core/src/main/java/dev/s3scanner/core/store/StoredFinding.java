package dev.s3scanner.core.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code findings}.
 *
 * @param findingId   sequence within the table (keyset pagination key)
 * @param jobId       job
 * @param bucket      bucket of the job
 * @param key         object key
 * @param entryPath   member path inside an archive, {@code ""} otherwise
 * @param detector    detector id
 * @param byteOffset  byte offset of the value in the decoded entry
 * @param maskedValue masked value
 * @param context     redacted context
 * @param createdAt   when it was stored
 */
public record StoredFinding(long findingId, UUID jobId, String bucket, String key, String entryPath, String detector,
                            long byteOffset, String maskedValue, String context, Instant createdAt) {
}
