package dev.s3scanner.lister.api;

import java.util.Map;
import java.util.Objects;

/**
 * A request the API answers with an error: the code (and so the HTTP status), a message for the
 * caller, and headers to add (such as {@code Allow} or {@code Retry-After}).
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, String> headers;

    /**
     * @param code    the error
     * @param message what went wrong, for the caller: names the field or parameter, never internals
     */
    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    /**
     * @param code    the error
     * @param message what went wrong, for the caller
     * @param headers response headers to add
     */
    public ApiException(ErrorCode code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.headers = Map.copyOf(headers);
    }

    /** The error. */
    public ErrorCode code() {
        return code;
    }

    /** Headers to add to the response. */
    public Map<String, String> headers() {
        return headers;
    }
}
