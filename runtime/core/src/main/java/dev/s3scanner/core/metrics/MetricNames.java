package dev.s3scanner.core.metrics;

import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.Env;

/**
 * The CloudWatch metrics the runtime publishes (the CDK dashboard and alarms read these names; do
 * not rename one without the construct). All are in the namespace named by
 * {@value #NAMESPACE_VARIABLE} (default {@value #DEFAULT_NAMESPACE}); a metric has no dimension
 * unless its constant says otherwise.
 *
 * <p>The worker publishes with PutMetricData (statistic sets, once a minute); the Lambda functions
 * print Embedded Metric Format documents through Powertools for AWS Lambda (Java), in the namespace
 * {@link #lambdaNamespace} and with the dimension {@value #SERVICE}. The local {@code scanner}
 * command publishes none.
 */
public final class MetricNames {
    /** Environment variable: the CloudWatch namespace. */
    public static final String NAMESPACE_VARIABLE = "SCANNER_METRICS_NAMESPACE";
    /** Environment variable of the Lambda functions (set by the CDK): Powertools' namespace. */
    public static final String POWERTOOLS_NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE";
    /** Environment variable of the Lambda functions (set by the CDK): the {@value #SERVICE} dimension's value. */
    public static final String POWERTOOLS_SERVICE_VARIABLE = "POWERTOOLS_SERVICE_NAME";
    /** The namespace when the variable is unset. */
    public static final String DEFAULT_NAMESPACE = "S3Scanner";

    /** Worker, Count: objects scanned completely (state {@code succeeded}). */
    public static final String OBJECTS_SCANNED = "ObjectsScanned";
    /** Worker, Bytes: bytes read and scanned. */
    public static final String BYTES_SCANNED = "BytesScanned";
    /** Worker, Count, dimension {@value #DETECTOR}: findings stored. */
    public static final String FINDINGS = "Findings";
    /** Worker, Milliseconds: per object, from the start of its GetObject to its state being committed. */
    public static final String OBJECT_LATENCY = "ObjectLatency";
    /**
     * Worker, Count, dimension {@value #REASON}: objects the worker recorded {@code failed} or
     * {@code skipped}, by reason ({@link dev.s3scanner.core.store.ObjectReason}: {@code access_denied},
     * {@code too_large}, {@code unsupported}, {@code error}...).
     */
    public static final String OBJECT_FAILURES = "ObjectFailures";
    /** Worker, Count: scan tasks (queue messages) processed to the end. */
    public static final String SCAN_TASKS_PROCESSED = "ScanTasksProcessed";
    /** Worker, Count: findings that could not be published to EventBridge (after the retries). */
    public static final String FINDINGS_PUBLISH_FAILURES = "FindingsPublishFailures";
    /** List step (ListObjectsV2 or S3 Inventory), Count: objects listed. */
    public static final String OBJECTS_LISTED = "ObjectsListed";
    /** List step, Count: pages listed (up to 1,000 objects each). */
    public static final String PAGES_LISTED = "PagesListed";
    /** Refresher, Milliseconds: duration of a {@code job_progress} refresh. */
    public static final String REFRESH_DURATION = "RefreshDuration";
    /** Refresher, Count: refreshes that failed (0 is published for each one that did not). */
    public static final String REFRESH_FAILURES = "RefreshFailures";
    /** Dead-letter handler, Count: objects failed because their scan task was dead-lettered. */
    public static final String OBJECTS_DEAD_LETTERED = "ObjectsDeadLettered";

    /** Dimension of {@link #FINDINGS}: the detector id. */
    public static final String DETECTOR = "Detector";
    /** Dimension of {@link #OBJECT_FAILURES}: the object's reason. */
    public static final String REASON = "Reason";
    /**
     * The one dimension of every Lambda metric: the function group's {@value #POWERTOOLS_SERVICE_VARIABLE}
     * ({@code s3scanner-lister}: list step, inventory step, dead-letter handler; {@code s3scanner-refresher}).
     */
    public static final String SERVICE = "Service";

    private MetricNames() {
    }

    /**
     * The namespace from {@value #NAMESPACE_VARIABLE}.
     *
     * @throws ConfigException when it is longer than CloudWatch's 255 characters or starts with {@code AWS/}
     *     (reserved for AWS services); unset or blank means the default
     */
    public static String namespace(Env env) {
        return checked(NAMESPACE_VARIABLE, env.optional(NAMESPACE_VARIABLE).orElse(DEFAULT_NAMESPACE));
    }

    /**
     * A Lambda function's namespace: {@value #POWERTOOLS_NAMESPACE_VARIABLE} (what the CDK sets),
     * else {@value #NAMESPACE_VARIABLE}, else {@value #DEFAULT_NAMESPACE}.
     *
     * @throws ConfigException when it is longer than 255 characters or starts with {@code AWS/}
     */
    public static String lambdaNamespace(Env env) {
        if (env.optional(POWERTOOLS_NAMESPACE_VARIABLE).isPresent()) {
            return checked(POWERTOOLS_NAMESPACE_VARIABLE, env.required(POWERTOOLS_NAMESPACE_VARIABLE));
        }
        return namespace(env);
    }

    /**
     * A Lambda function's {@value #SERVICE} dimension: {@value #POWERTOOLS_SERVICE_VARIABLE}, else
     * {@code defaultService}.
     */
    public static String lambdaService(Env env, String defaultService) {
        return env.optional(POWERTOOLS_SERVICE_VARIABLE).orElse(defaultService);
    }

    private static String checked(String variable, String ns) {
        if (ns.length() > 255 || ns.startsWith("AWS/")) {
            throw new ConfigException(variable + " must be 1 to 255 characters and not start with AWS/, was '"
                    + ns + "'");
        }
        return ns;
    }
}
