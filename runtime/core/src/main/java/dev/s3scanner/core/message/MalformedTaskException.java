package dev.s3scanner.core.message;

/** A message body is not a scan task this version of the worker understands. */
public final class MalformedTaskException extends RuntimeException {
    public MalformedTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
