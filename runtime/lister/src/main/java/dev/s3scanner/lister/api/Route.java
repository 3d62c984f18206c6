package dev.s3scanner.lister.api;

import static dev.s3scanner.lister.api.ErrorCode.BUCKET_NOT_ALLOWED;
import static dev.s3scanner.lister.api.ErrorCode.DATABASE_UNAVAILABLE;
import static dev.s3scanner.lister.api.ErrorCode.IDEMPOTENCY_KEY_REUSED;
import static dev.s3scanner.lister.api.ErrorCode.INTERNAL_ERROR;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_BUCKET_NAME;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_CURSOR;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_DETECTOR;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_FIELD;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_FILTER;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_IDEMPOTENCY_KEY;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_JOB_ID;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_JSON;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_LIMIT;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_QUERY_PARAMETER;
import static dev.s3scanner.lister.api.ErrorCode.INVALID_REGEX;
import static dev.s3scanner.lister.api.ErrorCode.JOB_NOT_CANCELLABLE;
import static dev.s3scanner.lister.api.ErrorCode.JOB_NOT_FOUND;
import static dev.s3scanner.lister.api.ErrorCode.LISTING_NOT_STARTED;
import static dev.s3scanner.lister.api.ErrorCode.MISSING_FIELD;
import static dev.s3scanner.lister.api.ErrorCode.MISSING_QUERY_PARAMETER;
import static dev.s3scanner.lister.api.ErrorCode.PAYLOAD_TOO_LARGE;
import static dev.s3scanner.lister.api.ErrorCode.PREFIX_TOO_LONG;
import static dev.s3scanner.lister.api.ErrorCode.UNKNOWN_FIELD;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The API's operations: method, path template, the query parameters each takes, its success
 * status and the errors it can answer with. The OpenAPI document lists exactly these (a test
 * checks it). Errors any path can give ({@code route_not_found}, {@code method_not_allowed}) are
 * not per operation.
 */
public enum Route {
    /** Start a scan. */
    START_SCAN("POST", "/scan", Set.of(), 202, EnumSet.of(INVALID_QUERY_PARAMETER, INVALID_JSON, INVALID_FIELD,
            MISSING_FIELD, UNKNOWN_FIELD, INVALID_BUCKET_NAME, PREFIX_TOO_LONG, INVALID_FILTER, INVALID_DETECTOR,
            INVALID_REGEX, INVALID_IDEMPOTENCY_KEY, BUCKET_NOT_ALLOWED, PAYLOAD_TOO_LARGE, IDEMPOTENCY_KEY_REUSED,
            INTERNAL_ERROR, DATABASE_UNAVAILABLE, LISTING_NOT_STARTED)),
    /** A job's status and figures. */
    GET_JOB("GET", "/jobs/{job_id}", Set.of("real_time"), 200, EnumSet.of(INVALID_JOB_ID, INVALID_QUERY_PARAMETER,
            JOB_NOT_FOUND, INTERNAL_ERROR, DATABASE_UNAVAILABLE)),
    /** Cancel a job. */
    CANCEL_JOB("DELETE", "/jobs/{job_id}", Set.of(), 202, EnumSet.of(INVALID_JOB_ID, INVALID_QUERY_PARAMETER,
            JOB_NOT_FOUND, JOB_NOT_CANCELLABLE, INTERNAL_ERROR, DATABASE_UNAVAILABLE)),
    /** A page of findings. */
    GET_RESULTS("GET", "/results", Set.of("job_id", "bucket", "key", "detector", "limit", "cursor"), 200,
            EnumSet.of(INVALID_QUERY_PARAMETER, MISSING_QUERY_PARAMETER, INVALID_JOB_ID, INVALID_BUCKET_NAME,
                    INVALID_LIMIT, INVALID_CURSOR, JOB_NOT_FOUND, INTERNAL_ERROR, DATABASE_UNAVAILABLE)),
    /** This API's OpenAPI document. */
    GET_OPENAPI("GET", "/openapi.json", Set.of(), 200, EnumSet.of(INVALID_QUERY_PARAMETER, INTERNAL_ERROR));

    private final String method;
    private final String template;
    private final Set<String> queryParameters;
    private final int successStatus;
    private final Set<ErrorCode> errors;

    Route(String method, String template, Set<String> queryParameters, int successStatus, Set<ErrorCode> errors) {
        this.method = method;
        this.template = template;
        this.queryParameters = queryParameters;
        this.successStatus = successStatus;
        this.errors = errors;
    }

    /** The HTTP method. */
    public String method() {
        return method;
    }

    /** The path template as OpenAPI writes it ({@code /jobs/{job_id}}). */
    public String template() {
        return template;
    }

    /** The query parameters it takes. */
    public Set<String> queryParameters() {
        return queryParameters;
    }

    /** The status of a successful answer. */
    public int successStatus() {
        return successStatus;
    }

    /** The errors it can answer with. */
    public Set<ErrorCode> errors() {
        return errors;
    }

    /** Errors any request can get, whatever the path. */
    public static final List<ErrorCode> PATH_ERRORS = List.of(ErrorCode.ROUTE_NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED);

    /** Whether {@code path} has this route's shape; a {@code {job_id}} segment matches any non-empty segment. */
    boolean matches(String path) {
        String[] want = template.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") ? got[i].isEmpty() : !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }
}
