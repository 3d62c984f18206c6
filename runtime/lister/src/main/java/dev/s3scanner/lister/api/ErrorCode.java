package dev.s3scanner.lister.api;

import java.util.Locale;

/**
 * Every error the API answers with: the HTTP status and the {@code error.code} of the body
 * {@code {"error": {"code": "...", "message": "...", "request_id": "..."}}}. The OpenAPI document
 * ({@code openapi.json}) lists the same codes; a test keeps the two equal.
 */
public enum ErrorCode {
    /** The body is not a JSON object (syntax error, empty, another JSON type, duplicate field, too deep). */
    INVALID_JSON(400),
    /** A field is present but has the wrong type or an invalid value. */
    INVALID_FIELD(400),
    /** A required field is absent or null. */
    MISSING_FIELD(400),
    /** A field the endpoint does not know. */
    UNKNOWN_FIELD(400),
    /** The bucket breaks S3's bucket naming rules. */
    INVALID_BUCKET_NAME(400),
    /** The prefix is longer than S3's 1,024-byte key limit. */
    PREFIX_TOO_LONG(400),
    /** An include/exclude filter is invalid. */
    INVALID_FILTER(400),
    /** A detector id, custom detector or allow-list entry is invalid. */
    INVALID_DETECTOR(400),
    /** A user regex is invalid, too large, matches the empty string or can backtrack catastrophically. */
    INVALID_REGEX(400),
    /** A job id is not a UUID. */
    INVALID_JOB_ID(400),
    /** A query parameter is unknown, repeated, badly encoded or has an invalid value. */
    INVALID_QUERY_PARAMETER(400),
    /** A required query parameter is absent. */
    MISSING_QUERY_PARAMETER(400),
    /** {@code limit} is not an integer from 1 to 1000. */
    INVALID_LIMIT(400),
    /** The cursor was not issued by this API, was altered, or belongs to other filters. */
    INVALID_CURSOR(400),
    /** The {@code Idempotency-Key} header is empty, too long or not visible ASCII. */
    INVALID_IDEMPOTENCY_KEY(400),
    /** The bucket is not in this deployment's allowed buckets. */
    BUCKET_NOT_ALLOWED(403),
    /** No job has this id. */
    JOB_NOT_FOUND(404),
    /** No endpoint has this path. */
    ROUTE_NOT_FOUND(404),
    /** The path exists but not with this method ({@code Allow} lists the methods). */
    METHOD_NOT_ALLOWED(405),
    /** The job already ended (completed or failed) and cannot be cancelled. */
    JOB_NOT_CANCELLABLE(409),
    /** The body is larger than 64 KiB. */
    PAYLOAD_TOO_LARGE(413),
    /** The {@code Idempotency-Key} was used before with a different request. */
    IDEMPOTENCY_KEY_REUSED(422),
    /** An unexpected fault; the message carries the request id and no internals. */
    INTERNAL_ERROR(500),
    /** The database cannot be reached now; retry later ({@code Retry-After}). */
    DATABASE_UNAVAILABLE(503),
    /** The job was recorded but its listing could not be started now; retry later. */
    LISTING_NOT_STARTED(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The code as it appears in the body ({@code invalid_json}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
