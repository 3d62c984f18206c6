package dev.s3scanner.core.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One object in a scan task.
 *
 * @param key       the key exactly as S3 returned it (JSON-escaped in the message, never URL-encoded)
 * @param etag      the ETag as listed, or {@code null}; the worker reads with {@code If-Match} on it
 * @param size      size in bytes as listed
 * @param versionId version id, or {@code null} for the current version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectRef(@JsonProperty("k") String key, @JsonProperty("e") String etag, @JsonProperty("s") long size,
                        @JsonProperty("v") String versionId) {
    public ObjectRef {
        Objects.requireNonNull(key, "key");
    }
}
