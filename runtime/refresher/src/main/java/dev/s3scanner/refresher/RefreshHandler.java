package dev.s3scanner.refresher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.metrics.MetricNames;
import dev.s3scanner.core.store.DataSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * EventBridge {@code rate(1 minute)} target: refreshes {@code job_progress} (see
 * {@link ProgressViewRefresher}). Writes {@code {"refreshed": bool, "duration_ms": n}}; a failed
 * refresh fails the invocation so the function's error metric and alarm see it. Each invocation
 * prints an Embedded Metric Format document (Powertools for AWS Lambda, programmatic API) with
 * {@code RefreshDuration} (Milliseconds, when the refresh ran) and {@code RefreshFailures} (Count:
 * 1 for a failed refresh, else 0), dimension {@code Service}, in the namespace from
 * {@code POWERTOOLS_METRICS_NAMESPACE} (or {@code SCANNER_METRICS_NAMESPACE}).
 */
public final class RefreshHandler implements RequestStreamHandler {
    static {
        LogFields.useLogbackConfiguration("s3scanner-refresher-logback.xml");
    }

    private static final Logger LOG = LoggerFactory.getLogger(RefreshHandler.class);

    private final ProgressViewRefresher refresher;
    private final Metrics metrics;

    /** Lambda's constructor: reads the database settings from the environment. */
    public RefreshHandler() {
        this(new ProgressViewRefresher(DataSources.create(DatabaseSettings.fromEnv(Env.system()), 1, "scanner-refresher",
                arn -> {
                    try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                        return sm.getSecretValue(b -> b.secretId(arn)).secretString();
                    }
                }), Duration.ofSeconds(50)), metrics(Env.system()));
    }

    /** With an explicit refresher and metrics instance. */
    public RefreshHandler(ProgressViewRefresher refresher, Metrics metrics) {
        this.refresher = refresher;
        this.metrics = metrics;
    }

    /**
     * The process's Powertools metrics instance in the namespace {@link MetricNames#lambdaNamespace},
     * with the dimension {@code Service} = {@code POWERTOOLS_SERVICE_NAME} (default {@code s3scanner-refresher}).
     *
     * @throws dev.s3scanner.core.config.ConfigException when the namespace is invalid
     */
    public static Metrics metrics(Env env) {
        Metrics metrics = MetricsBuilder.builder().withNamespace(MetricNames.lambdaNamespace(env))
                .withRaiseOnEmptyMetrics(false).build();
        // one dimension, Service: the EMF library would otherwise add LogGroup, ServiceName and
        // ServiceType, and the dashboard and alarms (cdk's ScannerMetrics) read Service only
        metrics.setDefaultDimensions(DimensionSet.of(MetricNames.SERVICE,
                MetricNames.lambdaService(env, "s3scanner-refresher")));
        return metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ProgressViewRefresher.Result r;
        try {
            r = refresher.refresh();
        } catch (SQLException | RuntimeException e) {
            LOG.error("job_progress refresh failed: {}", e.toString());
            metrics.addMetric(MetricNames.REFRESH_FAILURES, 1, MetricUnit.COUNT);
            metrics.flush();
            throw new IllegalStateException("job_progress refresh failed: " + e.getMessage(), e);
        }
        metrics.addMetric(MetricNames.REFRESH_FAILURES, 0, MetricUnit.COUNT);
        if (r.refreshed()) {
            metrics.addMetric(MetricNames.REFRESH_DURATION, r.duration().toMillis(), MetricUnit.MILLISECONDS);
        } else {
            LOG.info("job_progress refresh skipped: another refresh holds the lock");
        }
        metrics.flush();
        output.write(("{\"refreshed\":" + r.refreshed() + ",\"duration_ms\":" + r.duration().toMillis() + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
