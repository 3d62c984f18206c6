package dev.s3scanner.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.testing.SampleBucket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's metrics and finding events, sent by the real SDK v2 async clients to in-process
 * stand-ins speaking CloudWatch's and EventBridge's wire protocols, after scanning
 * {@code examples/sample-bucket} through the real worker, queue and database.
 */
class WorkerTelemetryTest {
    private static final String NAMESPACE = "S3ScannerTest";
    private static final Instant NOW = Instant.parse("2026-05-14T12:00:00Z");

    private static WorkerFixture fx;
    private static S3Client s3;
    private static CloudWatchStandIn cloudWatchServer;
    private static EventBridgeStandIn eventsServer;
    private static CloudWatchAsyncClient cloudWatch;
    private static EventBridgeAsyncClient events;
    private static Job job;
    private static JobProgress progress;
    private static final AtomicLong PUBLISH_FAILURES = new AtomicLong();

    @BeforeAll
    static void scanTheSampleBucket() throws Exception {
        fx = new WorkerFixture();
        s3 = fx.s3();
        cloudWatchServer = new CloudWatchStandIn();
        eventsServer = new EventBridgeStandIn();
        AwsClients.Settings local = AwsClients.Settings.local(null, null, 4);
        cloudWatch = CloudWatchAsyncClient.builder().region(Region.US_EAST_1).credentialsProvider(local.credentials())
                .endpointOverride(cloudWatchServer.endpoint()).build();
        events = EventBridgeAsyncClient.builder().region(Region.US_EAST_1).credentialsProvider(local.credentials())
                .endpointOverride(eventsServer.endpoint()).build();
        // the first delivery of every third finding's event fails: retried, then accepted
        eventsServer.failWhen((detail, earlier) -> earlier == 0 && detail.path("offset").asLong() % 3 == 0);

        SampleBucket.copyTo(fx.buckets.resolve("sample-bucket"));
        String[] q = fx.queue("telemetry", 5, 30);
        job = fx.listAndEnqueue(s3, "sample-bucket", q[0], 7);
        WorkerMetrics metrics = new WorkerMetrics(cloudWatch, NAMESPACE, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        FindingsEventPublisher publisher = new FindingsEventPublisher(events, "scanner-findings", 3, Duration.ofMillis(10),
                n -> {
                    PUBLISH_FAILURES.addAndGet(n);
                    metrics.findingsPublishFailed(n);
                });
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs,
                new WorkerSettings(q[0], 2, 8, 10, Duration.ofSeconds(1), Duration.ofSeconds(30), 1L << 30),
                ScanListener.all(List.of(metrics, publisher)));
        worker.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !fx.store.findJob(job.jobId()).orElseThrow().status().isFinal()) {
            Thread.sleep(100);
        }
        worker.stop(Duration.ofSeconds(5));
        publisher.close();
        metrics.close();
        progress = fx.store.liveProgress(job.jobId()).orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        cloudWatch.close();
        events.close();
        cloudWatchServer.close();
        eventsServer.close();
        s3.close();
        fx.close();
    }

    /** The data of every PutMetricData request, as {@code name[dimension=value] -> datum}. */
    private static Map<String, JsonNode> data() {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode request : cloudWatchServer.requests()) {
            for (JsonNode d : request.path("MetricData")) {
                String dims = "";
                for (JsonNode dim : d.path("Dimensions")) {
                    dims += "[" + dim.path("Name").asText() + "=" + dim.path("Value").asText() + "]";
                }
                out.put(d.path("MetricName").asText() + dims, d);
            }
        }
        return out;
    }

    private static double sum(String metric) {
        return data().get(metric).path("StatisticValues").path("Sum").asDouble();
    }

    @Test
    void oneFlushAtShutdownSendsOnePutMetricDataRequestInTheConfiguredNamespace() {
        // given the scan in @BeforeAll (the periodic flush is an hour away)

        // then
        assertThat(progress.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(cloudWatchServer.requests()).hasSize(1);
        assertThat(cloudWatchServer.paths()).containsExactly(CloudWatchStandIn.PATH);
        assertThat(cloudWatchServer.requests().get(0).path("Namespace").asText()).isEqualTo(NAMESPACE);
    }

    @Test
    void objectCountsAndBytesMatchTheAnswerKeyAndTheJobCounters() throws Exception {
        // given
        long succeeded = SampleBucket.rows("objects.tsv").stream().filter(r -> r[1].equals("succeeded")).count();

        // then
        Map<String, JsonNode> data = data();
        assertThat(data.get("ObjectsScanned").path("Unit").asText()).isEqualTo("Count");
        assertThat(sum("ObjectsScanned")).isEqualTo(succeeded);
        assertThat(data.get("ObjectsScanned").path("StatisticValues").path("SampleCount").asDouble()).isEqualTo(succeeded);
        assertThat(data.get("BytesScanned").path("Unit").asText()).isEqualTo("Bytes");
        assertThat(sum("BytesScanned")).isEqualTo((double) progress.count("bytes_scanned")).isPositive();
        assertThat(data.get("ObjectFailures[Reason=binary]").path("Unit").asText()).isEqualTo("Count");
        assertThat(sum("ObjectFailures[Reason=binary]")).isEqualTo(1);
        assertThat(data.keySet().stream().filter(k -> k.startsWith("ObjectFailures"))).containsExactly("ObjectFailures[Reason=binary]");
    }

    @Test
    void findingsAreCountedPerDetectorAsTheAnswerKeyLists() throws Exception {
        // given
        Map<String, Double> expected = new TreeMap<>();
        for (String[] f : SampleBucket.rows("findings.tsv")) {
            expected.merge("Findings[Detector=" + f[1] + "]", 1.0, Double::sum);
        }

        // then
        Map<String, Double> actual = new TreeMap<>();
        data().forEach((k, d) -> {
            if (k.startsWith("Findings[")) {
                assertThat(d.path("Unit").asText()).isEqualTo("Count");
                actual.put(k, d.path("StatisticValues").path("Sum").asDouble());
            }
        });
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void latencyHasOneSamplePerObjectAsValuesAndCountsAndTasksAreCounted() throws Exception {
        // given
        int objects = SampleBucket.rows("objects.tsv").size();

        // then
        // values and counts (raw samples for CloudWatch's percentiles), not a statistic set
        JsonNode latency = data().get("ObjectLatency");
        assertThat(latency.path("Unit").asText()).isEqualTo("Milliseconds");
        assertThat(latency.has("StatisticValues")).isFalse();
        double samples = 0;
        for (JsonNode c : latency.path("Counts")) {
            samples += c.asDouble();
        }
        assertThat(samples).isEqualTo(objects);
        assertThat(latency.path("Values").size()).isEqualTo(latency.path("Counts").size()).isPositive();
        for (JsonNode v : latency.path("Values")) {
            assertThat(v.asDouble()).isGreaterThanOrEqualTo(0);
        }
        // 38 objects, 7 per scan task: 6 messages
        assertThat(sum("ScanTasksProcessed")).isEqualTo(6);
        assertThat(data().get("ScanTasksProcessed").path("Timestamp").isMissingNode()).isFalse();
    }

    @Test
    void everyFindingArrivesOnceAsAnEventWithItsMaskedValueOnly() throws Exception {
        // given
        Set<String> expected = new TreeSet<>();
        for (String[] f : SampleBucket.rows("findings.tsv")) {
            expected.add(f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + f[3]);
        }
        Set<String> raw = SampleBucket.rawValues();

        // then
        List<String> arrived = new ArrayList<>();
        for (JsonNode d : eventsServer.acceptedDetails()) {
            assertThat(d.path("job_id").asText()).isEqualTo(job.jobId().toString());
            assertThat(d.path("bucket").asText()).isEqualTo("sample-bucket");
            arrived.add(d.path("key").asText() + "\t" + d.path("detector").asText() + "\t" + d.path("offset").asLong()
                    + "\t" + d.path("masked").asText());
        }
        assertThat(arrived).hasSize(expected.size());
        assertThat(new TreeSet<>(arrived)).isEqualTo(expected);
        assertThat(raw).hasSizeGreaterThan(100);
        for (JsonNode entry : eventsServer.entries()) {
            assertThat(raw).noneMatch(v -> entry.toString().contains(v));
        }
    }

    @Test
    void eventsUseTheSourceDetailTypeBusAndBatchLimits() {
        // then
        assertThat(eventsServer.targets()).isNotEmpty().allMatch("AWSEvents.PutEvents"::equals);
        for (JsonNode request : eventsServer.requests()) {
            assertThat(request.path("Entries").size()).isBetween(1, FindingsEventPublisher.MAX_ENTRIES);
            for (JsonNode e : request.path("Entries")) {
                assertThat(e.path("Source").asText()).isEqualTo("s3scanner");
                assertThat(e.path("DetailType").asText()).isEqualTo("S3 Scanner Finding");
                assertThat(e.path("EventBusName").asText()).isEqualTo("scanner-findings");
            }
        }
    }

    @Test
    void entriesFailedByPutEventsAreRetriedAloneAndNoneIsGivenUp() throws Exception {
        // given: the stand-in failed the first delivery of every finding at an offset divisible by 3
        long failedFirst = SampleBucket.rows("findings.tsv").stream()
                .filter(f -> Long.parseLong(f[2]) % 3 == 0).count();

        // then: those were sent twice, the others once
        assertThat(failedFirst).isPositive();
        assertThat(eventsServer.entries()).hasSize(SampleBucket.rows("findings.tsv").size() + (int) failedFirst);
        assertThat(PUBLISH_FAILURES.get()).isZero();
        assertThat(data()).doesNotContainKey("FindingsPublishFailures");
    }
}
