package dev.s3scanner.local;

/**
 * A problem with the user's input or environment, reported as one readable line and a non-zero
 * exit code, without a stack trace.
 */
public final class UserException extends RuntimeException {
    private final int exitCode;

    /**
     * @param exitCode the process exit code (2: bad input, 3: database, 4: AWS or S3 endpoint)
     * @param message  one line, saying what is wrong and, where possible, what to do
     */
    public UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
