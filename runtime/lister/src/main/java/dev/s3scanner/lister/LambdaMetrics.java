package dev.s3scanner.lister;

import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.metrics.MetricNames;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The Lambda functions' metrics: Powertools for AWS Lambda (Java) metrics, used through its
 * programmatic API (no AspectJ weaving): each invocation adds its metrics and flushes them as one
 * Embedded Metric Format document on stdout, which CloudWatch Logs turns into metrics in the
 * namespace {@link MetricNames#namespace} (see
 * https://docs.powertools.aws.dev/lambda/java/latest/core/metrics/ and
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
public final class LambdaMetrics {
    /** The {@code Service} dimension's value when {@code POWERTOOLS_SERVICE_NAME} is unset. */
    public static final String SERVICE = "s3scanner-lister";

    private LambdaMetrics() {
    }

    /**
     * The process's Powertools metrics instance (Powertools keeps one per process), in the namespace
     * {@link MetricNames#lambdaNamespace} and with the one dimension {@code Service} =
     * {@code POWERTOOLS_SERVICE_NAME} (default {@value #SERVICE}). An invocation that adds no
     * metric flushes nothing (no error).
     *
     * @throws dev.s3scanner.core.config.ConfigException when the namespace is invalid
     */
    public static Metrics create(Env env) {
        Metrics metrics = MetricsBuilder.builder().withNamespace(MetricNames.lambdaNamespace(env))
                .withRaiseOnEmptyMetrics(false).build();
        // one dimension, Service: the EMF library would otherwise add LogGroup, ServiceName and
        // ServiceType, and the dashboard and alarms (cdk's ScannerMetrics) read Service only
        metrics.setDefaultDimensions(DimensionSet.of(MetricNames.SERVICE, MetricNames.lambdaService(env, SERVICE)));
        return metrics;
    }

    /**
     * Adds and flushes the metrics of one list step: {@code ObjectsListed} and {@code PagesListed}
     * (Count), the step's own share of the state's running totals.
     *
     * @param metrics the metrics instance
     * @param in      the step's input state
     * @param out     the step's output state
     */
    public static void flushListStep(Metrics metrics, ListBatchState in, ListBatchState out) {
        metrics.addMetric(MetricNames.OBJECTS_LISTED, out.listed() - in.listed(), MetricUnit.COUNT);
        metrics.addMetric(MetricNames.PAGES_LISTED, out.pages() - in.pages(), MetricUnit.COUNT);
        metrics.flush();
    }
}
