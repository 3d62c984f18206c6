package dev.s3scanner.lister.api;

/**
 * The database (or the secret that opens it) cannot be reached now. The API answers
 * {@link ErrorCode#DATABASE_UNAVAILABLE} (503) with {@code Retry-After}.
 */
public final class DatabaseUnavailableException extends RuntimeException {
    /**
     * @param message what could not be reached, without secrets
     * @param cause   the underlying error
     */
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
