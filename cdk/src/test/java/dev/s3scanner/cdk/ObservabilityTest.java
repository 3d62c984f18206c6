package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;

/** Metrics, dashboard and alarms of the pipeline, and what the workers need to publish metrics and findings. */
class ObservabilityTest {

    private static Template small;
    private static Template withTopicAndBus;
    private static ScannerPipeline pipeline;

    @BeforeAll
    static void synth() {
        Synth.Result r = Synth.tier(ScaleTier.SMALL);
        small = r.template();
        pipeline = r.stack().getPipeline();

        Stack stack = new Stack(Synth.unstagedApp(), "Observed");
        new ScannerPipeline(stack, "Scanner", ScannerPipelineProps.builder()
                .targetBuckets(List.of(Bucket.fromBucketName(stack, "B", Synth.PLAIN_BUCKET)))
                .alarmTopic(Topic.Builder.create(stack, "OnCall").build())
                .findingsEventBus(EventBus.Builder.create(stack, "Findings").eventBusName("scanner-findings").build())
                .metricsNamespace("Team/Scanner")
                .build());
        withTopicAndBus = Template.fromStack(stack);
    }

    // ---- alarms -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ScaleTier.class)
    void everyTierHasTheDashboardAndTheFourAlarms(ScaleTier tier) {
        // given
        Template t = Synth.tier(tier).template();

        // then
        t.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        assertThat(alarmIds(t)).containsExactlyInAnyOrder("DeadLetterQueueAlarm", "OldestMessageAgeAlarm",
                "QuietGroupAgeAlarm", "RefreshFailureAlarm");
        String body = dashboardBody(t);
        assertThat(body).contains("Objects scanned per second", "Findings by detector", "Failed objects by reason",
                "Per-object scan latency (ms)", "Scan tasks waiting and per worker", "Database: CPU %");
    }

    @ParameterizedTest
    @CsvSource({"SMALL, 3600, 900", "MEDIUM, 10800, 900", "LARGE, 21600, 1800", "ENTERPRISE, 43200, 1800"})
    void queueAlarmThresholdsFollowTheTier(ScaleTier tier, int oldestSeconds, int quietSeconds) {
        // given
        Template t = Synth.tier(tier).template();

        // when
        JsonNode oldest = alarm(t, "OldestMessageAgeAlarm");
        JsonNode quiet = alarm(t, "QuietGroupAgeAlarm");

        // then
        assertThat(oldest.path("MetricName").asText()).isEqualTo("ApproximateAgeOfOldestMessage");
        assertThat(oldest.path("Threshold").asInt()).isEqualTo(oldestSeconds);
        assertThat(oldest.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(quiet.path("Threshold").asInt()).isEqualTo(quietSeconds);
        assertThat(quiet.path("Metrics").toString())
                .contains("IF(FILL(noisy, 0) > 0, FILL(quietAge, 0), 0)")
                .contains("ApproximateNumberOfNoisyGroups").contains("ApproximateAgeOfOldestMessageInQuietGroups");
    }

    @Test
    void deadLetterAlarmFiresOnOneMessage() {
        // when
        JsonNode dlq = alarm(small, "DeadLetterQueueAlarm");

        // then
        assertThat(dlq.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(dlq.path("Dimensions").toString()).contains(Templates.logicalId(small, "AWS::SQS::Queue", "DeadLetterQueue"));
        assertThat(dlq.path("Threshold").asInt()).isEqualTo(1);
        assertThat(dlq.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
    }

    @Test
    void refreshAlarmAddsRefreshFailuresAndFunctionErrorsInThreeOfFiveMinutes() {
        // when
        JsonNode refresh = alarm(small, "RefreshFailureAlarm");
        String metrics = refresh.path("Metrics").toString();

        // then
        assertThat(refresh.path("EvaluationPeriods").asInt()).isEqualTo(5);
        assertThat(refresh.path("DatapointsToAlarm").asInt()).isEqualTo(3);
        assertThat(refresh.path("Threshold").asInt()).isEqualTo(1);
        assertThat(metrics).contains("FILL(failures, 0) + FILL(errors, 0)")
                .contains("\"MetricName\":\"RefreshFailures\"").contains("\"Namespace\":\"S3Scanner\"")
                .contains("\"Name\":\"Service\",\"Value\":\"s3scanner-refresher\"")
                .contains("\"MetricName\":\"Errors\"").contains("AWS/Lambda")
                .contains(Templates.logicalId(small, "AWS::Lambda::Function", "RefreshFunction"));
    }

    @Test
    void withoutATopicTheAlarmsHaveNoActions() {
        // then
        for (String id : List.of("DeadLetterQueueAlarm", "OldestMessageAgeAlarm", "QuietGroupAgeAlarm", "RefreshFailureAlarm")) {
            JsonNode a = alarm(small, id);
            assertThat(a.has("AlarmActions")).as(id).isFalse();
            assertThat(a.has("OKActions")).as(id).isFalse();
        }
    }

    @Test
    void theAlarmTopicGetsEveryAlarmAndOkAction() {
        // given
        String topic = Templates.logicalId(withTopicAndBus, "AWS::SNS::Topic", "OnCall");

        // then
        for (String id : List.of("DeadLetterQueueAlarm", "OldestMessageAgeAlarm", "QuietGroupAgeAlarm", "RefreshFailureAlarm")) {
            JsonNode a = alarm(withTopicAndBus, id);
            assertThat(a.path("AlarmActions").toString()).as(id).isEqualTo("[{\"Ref\":\"" + topic + "\"}]");
            assertThat(a.path("OKActions").toString()).as(id).isEqualTo("[{\"Ref\":\"" + topic + "\"}]");
        }
        assertThat(pipeline.getAlarms()).hasSize(4);
    }

    // ---- dashboard ---------------------------------------------------------------------------------

    @Test
    void dashboardGraphsFindingsAndFailuresWithSearchAndLatencyPercentiles() {
        // when
        String body = dashboardBody(small);

        // then
        assertThat(body)
                .contains("SEARCH('{\\\"S3Scanner\\\",Detector} MetricName=\\\"Findings\\\"', 'Sum', 60)")
                .contains("SEARCH('{\\\"S3Scanner\\\",Reason} MetricName=\\\"ObjectFailures\\\"', 'Sum', 60)")
                .contains("FILL(objects, 0) / PERIOD(objects)")
                .contains("\"S3Scanner\",\"ObjectLatency\"")
                .contains("\"stat\":\"p50\"").contains("\"stat\":\"p99\"")
                .contains("\"S3Scanner\",\"ObjectsListed\",\"Service\",\"s3scanner-lister\"")
                .contains("\"S3Scanner\",\"RefreshDuration\",\"Service\",\"s3scanner-refresher\"")
                .contains("ApproximateNumberOfNoisyGroups");
    }

    @Test
    void metricMethodsNameTheRuntimesMetrics() {
        // when
        Metric findings = pipeline.metricFindings("us_ssn", null);
        Metric latency = pipeline.metricObjectLatency(MetricOptions.builder().statistic("p99").build());
        Metric failures = pipeline.metricObjectFailures("access_denied", null);
        Metric deadLettered = pipeline.metricObjectsDeadLettered(null);

        // then
        assertThat(findings.getNamespace()).isEqualTo("S3Scanner");
        assertThat(findings.getMetricName()).isEqualTo("Findings");
        assertThat(findings.getDimensions()).isEqualTo(Map.of("Detector", "us_ssn"));
        assertThat(findings.getStatistic()).isEqualTo("Sum");
        assertThat(findings.getPeriod().toSeconds()).isEqualTo(60);
        assertThat(latency.getMetricName()).isEqualTo("ObjectLatency");
        assertThat(latency.getStatistic()).isEqualTo("p99");
        assertThat(latency.getDimensions()).isNull();
        assertThat(failures.getDimensions()).isEqualTo(Map.of("Reason", "access_denied"));
        assertThat(deadLettered.getMetricName()).isEqualTo("ObjectsDeadLettered");
        assertThat(deadLettered.getDimensions()).isEqualTo(Map.of("Service", "s3scanner-lister"));
        assertThat(pipeline.metricRefreshFailures(null).getDimensions()).isEqualTo(Map.of("Service", "s3scanner-refresher"));
    }

    // ---- what the runtime needs ------------------------------------------------------------------------

    @Test
    void workersMayPutMetricsOnlyInTheirNamespace() {
        // when
        List<JsonNode> put = workerStatements(small, "cloudwatch:PutMetricData");

        // then
        assertThat(put).hasSize(1);
        assertThat(put.get(0).path("Resource").asText()).isEqualTo("*");
        assertThat(put.get(0).path("Condition").toString())
                .isEqualTo("{\"StringEquals\":{\"cloudwatch:namespace\":\"S3Scanner\"}}");
        assertThat(workerEnvironment(small)).containsEntry("SCANNER_METRICS_NAMESPACE", "S3Scanner")
                .doesNotContainKey("SCANNER_FINDINGS_EVENT_BUS");
        assertThat(workerStatements(small, "events:PutEvents")).isEmpty();
    }

    @Test
    void functionsGetPowertoolsServiceAndNamespace() {
        // then
        for (String fn : List.of("ApiFunction", "ListBatchFunction", "ListFailureFunction", "DeadLetterFunction")) {
            assertThat(functionEnvironment(small, fn)).as(fn).containsEntry("POWERTOOLS_SERVICE_NAME", "s3scanner-lister")
                    .containsEntry("POWERTOOLS_METRICS_NAMESPACE", "S3Scanner");
        }
        for (String fn : List.of("RefreshFunction", "MigrateFunction")) {
            assertThat(functionEnvironment(small, fn)).as(fn).containsEntry("POWERTOOLS_SERVICE_NAME", "s3scanner-refresher")
                    .containsEntry("POWERTOOLS_METRICS_NAMESPACE", "S3Scanner");
        }
    }

    @Test
    void anotherNamespaceReachesWorkersFunctionsAndThePolicy() {
        // then
        assertThat(workerEnvironment(withTopicAndBus)).containsEntry("SCANNER_METRICS_NAMESPACE", "Team/Scanner");
        assertThat(functionEnvironment(withTopicAndBus, "RefreshFunction")).containsEntry("POWERTOOLS_METRICS_NAMESPACE", "Team/Scanner");
        assertThat(functionEnvironment(withTopicAndBus, "ListBatchFunction")).containsEntry("POWERTOOLS_METRICS_NAMESPACE", "Team/Scanner");
        assertThat(workerStatements(withTopicAndBus, "cloudwatch:PutMetricData").get(0).path("Condition").toString())
                .isEqualTo("{\"StringEquals\":{\"cloudwatch:namespace\":\"Team/Scanner\"}}");
        assertThat(dashboardBody(withTopicAndBus)).contains("SEARCH('{\\\"Team/Scanner\\\",Detector}");
    }

    @Test
    void aFindingsBusGetsTheWorkersPutEventsAndItsArnInTheirEnvironment() {
        // given
        String bus = Templates.logicalId(withTopicAndBus, "AWS::Events::EventBus", "Findings");

        // when
        List<JsonNode> put = workerStatements(withTopicAndBus, "events:PutEvents");

        // then
        assertThat(put).hasSize(1);
        assertThat(put.get(0).path("Resource").toString()).isEqualTo("{\"Fn::GetAtt\":[\"" + bus + "\",\"Arn\"]}");
        assertThat(workerEnvironment(withTopicAndBus).get("SCANNER_FINDINGS_EVENT_BUS"))
                .isEqualTo("{\"Fn::GetAtt\":[\"" + bus + "\",\"Arn\"]}");
    }

    @Test
    void aNamespaceThatCloudWatchRejectsIsRejected() {
        // given
        Stack stack = new Stack(Synth.unstagedApp(), "BadNamespace");

        // then
        assertThatThrownBy(() -> new ScannerPipeline(stack, "Scanner", ScannerPipelineProps.builder()
                .metricsNamespace("AWS/S3Scanner").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metricsNamespace must not start with AWS/ (reserved for AWS services), got 'AWS/S3Scanner'");
        assertThatThrownBy(() -> new ScannerPipeline(stack, "Scanner2", ScannerPipelineProps.builder()
                .metricsNamespace("scanner$metrics").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metricsNamespace must be 1 to 255 letters, digits, spaces or . - _ / # : (CloudWatch namespace"
                        + " rules), got 'scanner$metrics'");
    }

    @Test
    void alarmMinutesOutOfRangeAreRejected() {
        // then
        assertThatThrownBy(() -> ScaleSettings.builder().from(ScaleTier.SMALL.settings())
                .oldestScanTaskAlarmMinutes(0).quietTenantAlarmMinutes(6000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("oldestScanTaskAlarmMinutes must be between 1 and 5760 (the queue's 4-day retention), got 0; "
                        + "quietTenantAlarmMinutes must be between 1 and 5760 (the queue's 4-day retention), got 6000");
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static List<String> alarmIds(Template t) {
        return Templates.resources(t, "AWS::CloudWatch::Alarm").stream().map(Map.Entry::getKey)
                .filter(k -> !k.contains("ScaleOnBacklogPerTask"))
                .map(k -> k.replaceAll("^.*?(DeadLetterQueueAlarm|OldestMessageAgeAlarm|QuietGroupAgeAlarm|RefreshFailureAlarm).*$", "$1"))
                .toList();
    }

    private static JsonNode alarm(Template t, String idPart) {
        return Templates.resource(t, "AWS::CloudWatch::Alarm", idPart).path("Properties");
    }

    static String dashboardBody(Template t) {
        JsonNode body = Templates.resources(t, "AWS::CloudWatch::Dashboard").get(0).getValue()
                .path("Properties").path("DashboardBody");
        StringBuilder sb = new StringBuilder();
        if (body.isTextual()) {
            sb.append(body.asText());
        } else {
            for (JsonNode part : body.path("Fn::Join").get(1)) {
                sb.append(part.isTextual() ? part.asText() : "<TOKEN>");
            }
        }
        return sb.toString();
    }

    private static List<JsonNode> workerStatements(Template t, String action) {
        return Templates.policyStatements(t).stream().filter(e -> e.getKey().contains("WorkerTaskTaskRoleDefaultPolicy"))
                .map(Map.Entry::getValue).filter(s -> Templates.strings(s.path("Action")).contains(action)).toList();
    }

    static Map<String, String> functionEnvironment(Template t, String functionIdPart) {
        JsonNode vars = Templates.resource(t, "AWS::Lambda::Function", functionIdPart)
                .path("Properties").path("Environment").path("Variables");
        Map<String, String> out = new TreeMap<>();
        vars.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }

    private static Map<String, String> workerEnvironment(Template t) {
        JsonNode env = Templates.resources(t, "AWS::ECS::TaskDefinition").get(0).getValue()
                .path("Properties").path("ContainerDefinitions").get(0).path("Environment");
        Map<String, String> out = new TreeMap<>();
        env.forEach(e -> out.put(e.path("Name").asText(),
                e.path("Value").isTextual() ? e.path("Value").asText() : e.path("Value").toString()));
        return out;
    }
}
