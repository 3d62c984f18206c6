package dev.s3scanner.worker;

import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.metrics.MetricNames;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.ObjectResult;
import dev.s3scanner.core.store.ObjectState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The worker's CloudWatch metrics ({@link MetricNames}): {@code ObjectsScanned} (Count),
 * {@code BytesScanned} (Bytes), {@code Findings} (Count, dimension {@code Detector}),
 * {@code ObjectLatency} (Milliseconds), {@code ObjectFailures} (Count, dimension {@code Reason}),
 * {@code ScanTasksProcessed} (Count) and {@code FindingsPublishFailures} (Count).
 *
 * <p>ECS has no Lambda-style log agent that would turn Embedded Metric Format lines into metrics
 * without a CloudWatch agent sidecar, so the worker calls PutMetricData itself: values are
 * aggregated in memory as statistic sets ({@link MetricAggregator}) and flushed every
 * {@code interval} (60 s in ECS) and at {@link #close()}, in as few calls as the API's limits
 * allow; {@code ObjectLatency} goes as values and counts so that CloudWatch has its percentiles. A failed call is logged and its data dropped; it never fails the worker.
 */
public final class WorkerMetrics implements ScanListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMetrics.class);

    private final CloudWatchAsyncClient cloudWatch;
    private final String namespace;
    private final Clock clock;
    private final MetricAggregator aggregator = new MetricAggregator();
    private final ScheduledExecutorService flusher;
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();

    /**
     * Starts flushing every {@code interval}.
     *
     * @param cloudWatch shared CloudWatch client
     * @param namespace  namespace ({@code SCANNER_METRICS_NAMESPACE})
     * @param interval   flush period (60 s in ECS)
     * @param clock      the data's timestamps
     */
    public WorkerMetrics(CloudWatchAsyncClient cloudWatch, String namespace, Duration interval, Clock clock) {
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleAtFixedRate(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void objectsRecorded(Job job, String bucket, List<RecordedObject> objects) {
        for (RecordedObject o : objects) {
            ObjectResult r = o.result();
            aggregator.addDistribution(MetricNames.OBJECT_LATENCY, StandardUnit.MILLISECONDS, o.latencyMillis());
            if (r.state() == ObjectState.SUCCEEDED) {
                aggregator.add(MetricNames.OBJECTS_SCANNED, StandardUnit.COUNT, 1);
            } else {
                aggregator.add(MetricNames.OBJECT_FAILURES, StandardUnit.COUNT, MetricNames.REASON,
                        r.reason() == null ? r.state().dbValue() : r.reason(), 1);
            }
            if (r.bytesScanned() > 0) {
                aggregator.add(MetricNames.BYTES_SCANNED, StandardUnit.BYTES, r.bytesScanned());
            }
            Map<String, Integer> byDetector = new TreeMap<>();
            for (Finding f : r.findings()) {
                byDetector.merge(f.detector(), 1, Integer::sum);
            }
            byDetector.forEach((detector, n) ->
                    aggregator.add(MetricNames.FINDINGS, StandardUnit.COUNT, MetricNames.DETECTOR, detector, n));
        }
    }

    @Override
    public void taskProcessed() {
        aggregator.add(MetricNames.SCAN_TASKS_PROCESSED, StandardUnit.COUNT, 1);
    }

    /**
     * Counts findings that could not be published to EventBridge.
     *
     * @param findings how many
     */
    public void findingsPublishFailed(long findings) {
        aggregator.add(MetricNames.FINDINGS_PUBLISH_FAILURES, StandardUnit.COUNT, findings);
    }

    /** Sends what was aggregated since the last flush (asynchronously; failures are logged and dropped). */
    public void flush() {
        List<PutMetricDataRequest> requests = aggregator.drainRequests(namespace, clock.instant());
        for (PutMetricDataRequest request : requests) {
            CompletableFuture<?> call = cloudWatch.putMetricData(request).whenComplete((response, error) -> {
                if (error != null) {
                    LOG.warn("PutMetricData failed, {} metric data dropped: {}", request.metricData().size(), error.toString());
                }
            });
            synchronized (inFlight) {
                inFlight.removeIf(CompletableFuture::isDone);
                inFlight.add(call);
            }
        }
    }

    /** Stops the periodic flush, flushes the rest and waits up to 5 s for the calls to finish. */
    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
        CompletableFuture<?>[] calls;
        synchronized (inFlight) {
            calls = inFlight.toArray(CompletableFuture[]::new);
        }
        try {
            CompletableFuture.allOf(calls).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("metrics not all sent at shutdown: {}", e.toString());
        }
    }
}
