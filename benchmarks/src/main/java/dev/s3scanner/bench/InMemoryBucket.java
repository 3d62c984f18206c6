package dev.s3scanner.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link S3Client} whose only operation is {@code ListObjectsV2} over a generated bucket of
 * {@code count} objects: pages of at most {@code MaxKeys} (≤ 1,000) keys in key order, an opaque
 * continuation token, {@code IsTruncated=false} on the last page. It lets the benchmark drive the
 * real {@code ObjectListing}/{@code ListBatch} code at a speed no local S3 server reaches, so that
 * it measures the record-and-enqueue path. Every other operation throws
 * {@link UnsupportedOperationException}.
 */
final class InMemoryBucket implements S3Client {
    private static final Instant MODIFIED = Instant.parse("2024-05-01T00:00:00Z");
    private final String bucket;
    private final int count;

    /**
     * @param bucket the bucket name it answers for
     * @param count  objects in the bucket
     */
    InMemoryBucket(String bucket, int count) {
        this.bucket = bucket;
        this.count = count;
    }

    /** The i-th key (0-based): 57 characters, like a real export layout; in key order for i below 3,360,000. */
    static String key(int i) {
        StringBuilder sb = new StringBuilder(72).append("tenant-0042/exports/2024/");
        pad(sb, 1 + (i / 280_000) % 12, 2).append('/');
        pad(sb, 1 + (i / 10_000) % 28, 2).append("/dept-");
        pad(sb, (i / 100) % 100, 3).append("/part-");
        return pad(sb, i, 8).append(".csv").toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int n = digits.length(); n < width; n++) {
            sb.append('0');
        }
        return sb.append(digits);
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        if (!bucket.equals(request.bucket())) {
            throw new IllegalArgumentException("no bucket " + request.bucket());
        }
        int start = request.continuationToken() == null ? 0 : Integer.parseInt(request.continuationToken().substring(4), 36);
        int max = request.maxKeys() == null ? 1000 : Math.min(1000, request.maxKeys());
        int end = Math.min(count, start + max);
        List<S3Object> contents = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
            contents.add(S3Object.builder()
                    .key(key(i))
                    .eTag("\"0123456789abcdef" + Long.toHexString(0x1000000000000000L | (i * 2654435761L)) + "\"")
                    .size(1024L + i % 4096)
                    .lastModified(MODIFIED)
                    .storageClass("STANDARD")
                    .build());
        }
        boolean truncated = end < count;
        return ListObjectsV2Response.builder()
                .name(bucket)
                .prefix(request.prefix())
                .maxKeys(max)
                .keyCount(contents.size())
                .contents(contents)
                .isTruncated(truncated)
                .continuationToken(request.continuationToken())
                .nextContinuationToken(truncated ? "tok-" + Integer.toString(end, 36) : null)
                .build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
