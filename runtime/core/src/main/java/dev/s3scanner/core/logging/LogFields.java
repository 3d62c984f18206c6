package dev.s3scanner.core.logging;

/**
 * The MDC keys every runtime module puts on its log lines while it works on a job or an object
 * (they become top-level fields of the JSON log lines: {@code "job_id"}, {@code "key"}), and the
 * way each entry point chooses its own logback configuration file.
 *
 * <p>Log lines never carry a raw sensitive value: findings are logged, if at all, by detector,
 * offset and masked value only.
 */
public final class LogFields {
    /** MDC key: the job being worked on (UUID string). */
    public static final String JOB_ID = "job_id";
    /** MDC key: the S3 object key being worked on. */
    public static final String KEY = "key";
    /** logback's system property naming its configuration file (a class-path resource or a path). */
    public static final String LOGBACK_CONFIGURATION_FILE = "logback.configurationFile";

    private LogFields() {
    }

    /**
     * Makes logback read {@code resource} (a class-path resource such as
     * {@code s3scanner-lister-logback.xml}) unless a configuration file was already chosen. Call it
     * from a static initializer of an entry point, before any logger is created: each module's file
     * has its own name so that no module's configuration shadows another's in a shaded jar or in
     * the local runner (which chooses its own first).
     *
     * @param resource the configuration resource name
     */
    public static void useLogbackConfiguration(String resource) {
        if (System.getProperty(LOGBACK_CONFIGURATION_FILE) == null) {
            System.setProperty(LOGBACK_CONFIGURATION_FILE, resource);
        }
    }
}
