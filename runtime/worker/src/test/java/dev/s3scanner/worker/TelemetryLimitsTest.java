package dev.s3scanner.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.metrics.MetricNames;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.ObjectResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;

/** PutMetricData and PutEvents limits, and what happens when a call fails. */
class TelemetryLimitsTest {
    private static final Instant NOW = Instant.parse("2026-05-14T12:00:00Z");
    private static final AwsClients.Settings LOCAL = AwsClients.Settings.local(null, null, 4);

    private static Job job() {
        return new Job(UUID.randomUUID(), "bucket", "", "list", "bucket", "{}", JobStatus.PROCESSING, null, true, 1, Instant.EPOCH, null);
    }

    @Test
    void moreThanOneThousandMetricsAreSplitIntoRequestsOfOneThousand() {
        // given
        MetricAggregator aggregator = new MetricAggregator();
        for (int i = 0; i < 2500; i++) {
            aggregator.add("Findings", StandardUnit.COUNT, "Detector", "custom-" + i, 1);
        }

        // when
        List<PutMetricDataRequest> requests = aggregator.drainRequests("ns", NOW);

        // then
        assertThat(requests).extracting(r -> r.metricData().size()).containsExactly(1000, 1000, 500);
        assertThat(aggregator.drainRequests("ns", NOW)).isEmpty();
    }

    @Test
    void requestsStayUnderOneMegabyte() {
        // given: 1,000 metrics with 1,024-character dimension values (over 1 MB in one request)
        MetricAggregator aggregator = new MetricAggregator();
        for (int i = 0; i < 1000; i++) {
            aggregator.add("Findings", StandardUnit.COUNT, "Detector", String.format("%04d", i) + "x".repeat(1020), 1);
        }

        // when
        List<PutMetricDataRequest> requests = aggregator.drainRequests("ns", NOW);

        // then
        assertThat(requests).hasSizeGreaterThan(1);
        assertThat(requests.stream().mapToInt(r -> r.metricData().size()).sum()).isEqualTo(1000);
    }

    @Test
    void samplesOfOneMetricBecomeOneStatisticSet() {
        // given
        MetricAggregator aggregator = new MetricAggregator();
        aggregator.add("ObjectLatency", StandardUnit.MILLISECONDS, 40);
        aggregator.add("ObjectLatency", StandardUnit.MILLISECONDS, 10);
        aggregator.add("ObjectLatency", StandardUnit.MILLISECONDS, 25);

        // when
        var datum = aggregator.drainRequests("ns", NOW).get(0).metricData().get(0);

        // then
        assertThat(datum.statisticValues().sampleCount()).isEqualTo(3.0);
        assertThat(datum.statisticValues().sum()).isEqualTo(75.0);
        assertThat(datum.statisticValues().minimum()).isEqualTo(10.0);
        assertThat(datum.statisticValues().maximum()).isEqualTo(40.0);
        assertThat(datum.timestamp()).isEqualTo(NOW);
        assertThat(datum.dimensions()).isEmpty();
    }

    @Test
    void distributionSamplesBecomeValuesAndCountsOfAtMost150ValuesPerDatum() {
        // given: 1,000 latencies from 0 to 999 ms, and 5 more of 7 ms
        MetricAggregator aggregator = new MetricAggregator();
        for (int i = 0; i < 1000; i++) {
            aggregator.addDistribution("ObjectLatency", StandardUnit.MILLISECONDS, i);
        }
        for (int i = 0; i < 5; i++) {
            aggregator.addDistribution("ObjectLatency", StandardUnit.MILLISECONDS, 7);
        }

        // when
        List<software.amazon.awssdk.services.cloudwatch.model.MetricDatum> data =
                aggregator.drainRequests("ns", NOW).get(0).metricData();

        // then: 0..99 whole, then two significant digits (100, 110, ..., 990): 190 values, 2 data
        assertThat(data).hasSize(2).allSatisfy(d -> {
            assertThat(d.values()).hasSizeLessThanOrEqualTo(150).hasSameSizeAs(d.counts());
            assertThat(d.statisticValues()).isNull();
        });
        assertThat(data.stream().mapToDouble(d -> d.counts().stream().mapToDouble(Double::doubleValue).sum()).sum())
                .isEqualTo(1005.0);
        assertThat(data.get(0).values().get(7)).isEqualTo(7.0);
        assertThat(data.get(0).counts().get(7)).isEqualTo(6.0);
        assertThat(MetricAggregator.round(1234)).isEqualTo(1200.0);
        assertThat(MetricAggregator.round(64.4)).isEqualTo(64.0);
    }

    @Test
    void aFailedPutMetricDataIsDroppedAndTheNextFlushSendsOnlyNewData() throws Exception {
        // given
        try (CloudWatchStandIn server = new CloudWatchStandIn();
             CloudWatchAsyncClient client = CloudWatchAsyncClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(LOCAL.credentials()).endpointOverride(server.endpoint())
                     .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build()) {
            WorkerMetrics metrics = new WorkerMetrics(client, "ns", Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
            server.failWith(500);
            metrics.taskProcessed();

            // when
            metrics.flush();
            Thread.sleep(500);
            server.failWith(0);
            metrics.taskProcessed();
            metrics.taskProcessed();
            metrics.close();

            // then
            assertThat(server.paths()).hasSize(2);
            assertThat(server.requests()).hasSize(1);
            assertThat(server.requests().get(0).path("MetricData").get(0).path("StatisticValues").path("Sum").asDouble())
                    .isEqualTo(2.0);
        }
    }

    @Test
    void entriesStillFailingAfterTheLastAttemptAreCountedNotRetriedForever() throws Exception {
        // given: the bus fails every entry of one detector, whatever the attempt
        try (EventBridgeStandIn server = new EventBridgeStandIn();
             EventBridgeAsyncClient client = EventBridgeAsyncClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(LOCAL.credentials()).endpointOverride(server.endpoint()).build()) {
            server.failWhen((detail, earlier) -> detail.path("detector").asText().equals("email"));
            AtomicLong givenUp = new AtomicLong();
            FindingsEventPublisher publisher = new FindingsEventPublisher(client, "bus", 3, Duration.ofMillis(5), givenUp::addAndGet);
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                findings.add(new Finding(i % 2 == 0 ? "email" : "us_ssn", i * 10L, "", "m***@example.com", "ctx"));
            }

            // when
            publisher.objectsRecorded(job(), "bucket", List.of(new RecordedObject(
                    ObjectResult.succeeded("k.txt", findings, findings.size(), 100), 5)));
            publisher.close();

            // then: 12 email findings tried 3 times each, 11 others once
            assertThat(givenUp.get()).isEqualTo(12);
            assertThat(server.entries()).hasSize(12 * 3 + 11);
            assertThat(server.requests()).allMatch(r -> r.path("Entries").size() <= 10);
            assertThat(server.acceptedDetails()).hasSize(11);
        }
    }

    @Test
    void findingsOverTwoHundredFiftySixKilobytesGoInSeveralRequests() throws Exception {
        // given: 5 findings whose context makes each entry about 100 KB
        try (EventBridgeStandIn server = new EventBridgeStandIn();
             EventBridgeAsyncClient client = EventBridgeAsyncClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(LOCAL.credentials()).endpointOverride(server.endpoint()).build()) {
            FindingsEventPublisher publisher = new FindingsEventPublisher(client, "bus", 1, Duration.ofMillis(5), n -> { });
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                findings.add(new Finding("email", i, "", "m***@example.com", "#".repeat(100_000)));
            }

            // when
            publisher.objectsRecorded(job(), "bucket", List.of(new RecordedObject(
                    ObjectResult.succeeded("k.txt", findings, findings.size(), 100), 5)));
            publisher.close();

            // then
            assertThat(server.requests()).extracting(r -> r.path("Entries").size()).containsExactlyInAnyOrder(2, 2, 1);
        }
    }

    @Test
    void theBusVariableTakesANameOrAnArnAndRejectsAnythingElse() {
        // given
        String arn = "arn:aws:events:eu-west-1:123456789012:event-bus/scanner-findings";

        // then
        assertThat(FindingsEventPublisher.busFromEnv(Env.of(Map.of()))).isEmpty();
        assertThat(FindingsEventPublisher.busFromEnv(Env.of(Map.of("SCANNER_FINDINGS_EVENT_BUS", "scanner-findings"))))
                .contains("scanner-findings");
        assertThat(FindingsEventPublisher.busFromEnv(Env.of(Map.of("SCANNER_FINDINGS_EVENT_BUS", arn)))).contains(arn);
        assertThatThrownBy(() -> FindingsEventPublisher.busFromEnv(Env.of(Map.of("SCANNER_FINDINGS_EVENT_BUS", "my bus!"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_FINDINGS_EVENT_BUS must be an event bus name or ARN, was 'my bus!'");
    }

    @Test
    void theNamespaceDefaultsToS3ScannerAndRejectsTheAwsPrefix() {
        // then
        assertThat(MetricNames.namespace(Env.of(Map.of()))).isEqualTo("S3Scanner");
        assertThat(MetricNames.namespace(Env.of(Map.of("SCANNER_METRICS_NAMESPACE", "Team/Scanner")))).isEqualTo("Team/Scanner");
        assertThatThrownBy(() -> MetricNames.namespace(Env.of(Map.of("SCANNER_METRICS_NAMESPACE", "AWS/S3"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_METRICS_NAMESPACE must be 1 to 255 characters and not start with AWS/, was 'AWS/S3'");
    }
}
