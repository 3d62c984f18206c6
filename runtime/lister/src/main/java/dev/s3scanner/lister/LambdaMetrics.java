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
    private LambdaMetrics() {
    }

    /**
     * The process's Powertools metrics instance, in the namespace from {@code SCANNER_METRICS_NAMESPACE},
     * without dimensions. An invocation that adds no metric flushes nothing (no error).
     *
     * @throws dev.s3scanner.core.config.ConfigException when the namespace is invalid
     */
    public static Metrics create(Env env) {
        Metrics metrics = MetricsBuilder.builder().withNamespace(MetricNames.namespace(env)).withRaiseOnEmptyMetrics(false)
                .build();
        // no dimensions: the EMF library would add LogGroup, ServiceName and ServiceType by default,
        // and the dashboard and alarms read the metrics without dimensions
        metrics.setDefaultDimensions(new DimensionSet());
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
