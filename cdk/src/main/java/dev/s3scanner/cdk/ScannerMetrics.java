package dev.s3scanner.cdk;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

/**
 * The custom CloudWatch metrics the runtime publishes, as the constructs read them (names are the
 * contract with the runtime modules; see DEVELOPERS.md "Metrics").
 *
 * <p>The worker publishes with {@code PutMetricData} under {@code SCANNER_METRICS_NAMESPACE}:
 * {@value #OBJECTS_SCANNED} (Count), {@value #BYTES_SCANNED} (Bytes), {@value #FINDINGS} (Count,
 * dimension {@value #DETECTOR}), {@value #OBJECT_LATENCY} (Milliseconds), {@value #OBJECT_FAILURES}
 * (Count, dimension {@value #REASON}), {@value #SCAN_TASKS_PROCESSED} (Count) and
 * {@value #FINDINGS_PUBLISH_FAILURES} (Count), without other dimensions. The Lambda functions
 * publish with Powertools' embedded metric format under {@code POWERTOOLS_METRICS_NAMESPACE},
 * which adds the dimension {@value #SERVICE} = {@code POWERTOOLS_SERVICE_NAME}: the lister
 * ({@value #LISTER_SERVICE}) {@value #OBJECTS_LISTED}, {@value #PAGES_LISTED} and
 * {@value #OBJECTS_DEAD_LETTERED}; the refresher ({@value #REFRESHER_SERVICE})
 * {@value #REFRESH_DURATION} (Milliseconds) and {@value #REFRESH_FAILURES}.
 */
public final class ScannerMetrics {

    /** Default namespace of every custom metric. */
    public static final String DEFAULT_NAMESPACE = "S3Scanner";
    /** Powertools service name of the lister jar's functions (API, list batch, inventory batch, dead letters). */
    public static final String LISTER_SERVICE = "s3scanner-lister";
    /** Powertools service name of the refresher jar's functions (refresh, migrate). */
    public static final String REFRESHER_SERVICE = "s3scanner-refresher";

    /** Worker: objects scanned (Count). */
    public static final String OBJECTS_SCANNED = "ObjectsScanned";
    /** Worker: bytes read from S3 and scanned (Bytes). */
    public static final String BYTES_SCANNED = "BytesScanned";
    /** Worker: findings (Count), dimension {@link #DETECTOR}. */
    public static final String FINDINGS = "Findings";
    /** Worker: time to scan one object (Milliseconds). */
    public static final String OBJECT_LATENCY = "ObjectLatency";
    /** Worker: objects that ended {@code failed} (Count), dimension {@link #REASON}. */
    public static final String OBJECT_FAILURES = "ObjectFailures";
    /** Worker: scan-task messages processed (Count). */
    public static final String SCAN_TASKS_PROCESSED = "ScanTasksProcessed";
    /** Worker: findings that could not be published to EventBridge (Count). */
    public static final String FINDINGS_PUBLISH_FAILURES = "FindingsPublishFailures";
    /** Lister: objects recorded by listing (Count). */
    public static final String OBJECTS_LISTED = "ObjectsListed";
    /** Lister: listing pages recorded (Count). */
    public static final String PAGES_LISTED = "PagesListed";
    /** Lister (dead-letter handler): objects failed because their scan task was dead-lettered (Count). */
    public static final String OBJECTS_DEAD_LETTERED = "ObjectsDeadLettered";
    /** Refresher: time one refresh of {@code job_progress} took (Milliseconds). */
    public static final String REFRESH_DURATION = "RefreshDuration";
    /** Refresher: refreshes that failed (Count). */
    public static final String REFRESH_FAILURES = "RefreshFailures";

    /** Dimension of {@link #FINDINGS}: the detector id (e.g. {@code us_ssn}) or custom detector name. */
    public static final String DETECTOR = "Detector";
    /** Dimension of {@link #OBJECT_FAILURES}: the object reason (e.g. {@code access_denied}). */
    public static final String REASON = "Reason";
    /** Dimension Powertools adds to every Lambda metric: the function's {@code POWERTOOLS_SERVICE_NAME}. */
    public static final String SERVICE = "Service";

    private ScannerMetrics() {
    }

    /**
     * Checks a namespace against CloudWatch's rules (PutMetricData API reference: 1 to 255
     * characters, letters, digits and {@code . - _ / # :} and spaces, not starting with
     * {@code AWS/}, which is reserved for AWS services).
     *
     * @param namespace the namespace, or {@code null} for {@value #DEFAULT_NAMESPACE}
     * @return the namespace to use
     * @throws IllegalArgumentException naming {@code metricsNamespace} when it breaks a rule
     */
    public static String checkNamespace(String namespace) {
        if (namespace == null) {
            return DEFAULT_NAMESPACE;
        }
        if (!namespace.matches("[A-Za-z0-9 ._/#:-]{1,255}") || namespace.isBlank()) {
            throw new IllegalArgumentException("metricsNamespace must be 1 to 255 letters, digits, spaces or . - _ / # :"
                    + " (CloudWatch namespace rules), got '" + namespace + "'");
        }
        if (namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("metricsNamespace must not start with AWS/ (reserved for AWS services), got '"
                    + namespace + "'");
        }
        return namespace;
    }

    /**
     * @param service     {@code POWERTOOLS_SERVICE_NAME}
     * @param namespace   {@code POWERTOOLS_METRICS_NAMESPACE}
     * @return the Powertools variables of a function
     */
    static Map<String, String> powertoolsEnvironment(String service, String namespace) {
        Map<String, String> env = new TreeMap<>();
        env.put("POWERTOOLS_SERVICE_NAME", service);
        env.put("POWERTOOLS_METRICS_NAMESPACE", namespace);
        return env;
    }

    /**
     * A custom metric with the construct library's defaults (1-minute period) overridden by
     * {@code options}; dimensions given in {@code options} are added to {@code dimensions}.
     */
    static Metric metric(String namespace, String name, Map<String, String> dimensions, String statistic,
                         String unitLabel, MetricOptions options) {
        MetricOptions o = FairQueue.defaults(options, statistic);
        Map<String, String> dims = new TreeMap<>(dimensions);
        if (options != null && options.getDimensionsMap() != null) {
            dims.putAll(options.getDimensionsMap());
        }
        Metric.Builder b = Metric.Builder.create()
                .namespace(namespace)
                .metricName(name)
                .period(o.getPeriod() == null ? Duration.minutes(1) : o.getPeriod())
                .statistic(o.getStatistic())
                .label(o.getLabel() != null ? o.getLabel() : unitLabel)
                .color(o.getColor())
                .unit(o.getUnit())
                .account(o.getAccount())
                .region(o.getRegion());
        if (!dims.isEmpty()) {
            b.dimensionsMap(dims);
        }
        return b.build();
    }
}
