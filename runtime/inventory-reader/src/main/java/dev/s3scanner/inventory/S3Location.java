package dev.s3scanner.inventory;

import java.util.Objects;

/**
 * A bucket and key (or key prefix), written {@code s3://bucket/key}.
 *
 * @param bucket the bucket
 * @param key    the key or prefix, taken as written (never URL-decoded), {@code ""} for the whole bucket
 */
public record S3Location(String bucket, String key) {
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /**
     * Parses {@code s3://bucket/key}.
     *
     * @throws IllegalArgumentException when {@code uri} does not start with {@code s3://} or names no bucket
     */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// location: " + uri);
        }
        String rest = uri.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in " + uri);
        }
        return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
