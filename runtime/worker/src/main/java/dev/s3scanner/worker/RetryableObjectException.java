package dev.s3scanner.worker;

/**
 * An object could not be scanned now for a reason that may pass (S3 throttling or a 5xx after the
 * SDK's retries, a dropped connection). The object stays open and its message is not deleted, so
 * SQS delivers it again later.
 */
public final class RetryableObjectException extends Exception {
    public RetryableObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
