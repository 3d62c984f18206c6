package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The app as {@code cdk.json} runs it: a unit test that synthesizes the real app with the
 * repository's context, so a jsii/CDK drift fails CI before anyone deploys (cases/23).
 */
class ScannerAppTest {

    @Test
    void synthesizesWithTheContextOfCdkJson() throws IOException {
        // given
        JsonNode cdkJson = Templates.JSON.readTree(Files.readString(repoRoot().resolve("cdk.json")));
        Map<String, Object> ctx = new LinkedHashMap<>();
        cdkJson.path("context").fields().forEachRemaining(e -> ctx.put(e.getKey(), e.getValue().asText()));
        ctx.put("tier", "large");
        ctx.put("maxWorkers", "30");

        // when
        Synth.Result r = Synth.app(ctx);

        // then
        assertThat(cdkJson.path("app").asText()).contains("dev.s3scanner.cdk.ScannerApp");
        assertThat(r.stack().getStackName()).isEqualTo("S3Scanner");
        assertThat(r.stack().getPipeline().getSettings().getMaxWorkers()).isEqualTo(30);
        r.template().hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MaxCapacity", 30));
        r.template().hasResourceProperties("AWS::RDS::DBInstance", Map.of("DBInstanceClass", "db.r6g.large"));
    }

    @Test
    void contextNamesTheAlarmTopicAndTheFindingsBus() {
        // given
        String topic = "arn:aws:sns:us-east-1:111122223333:scanner-alarms";
        String bus = "arn:aws:events:us-east-1:111122223333:event-bus/scanner-findings";
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("targetBuckets", Synth.PLAIN_BUCKET);
        ctx.put("alarmTopicArn", topic);
        ctx.put("findingsEventBusArn", bus);
        ctx.put("oldestScanTaskAlarmMinutes", "90");
        ctx.put("nag", "false");

        // when
        Synth.Result r = Synth.app(ctx);

        // then
        r.template().hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateAgeOfOldestMessage", "Threshold", 5400,
                "AlarmActions", java.util.List.of(topic), "OKActions", java.util.List.of(topic)));
        JsonNode env = Templates.resources(r.template(), "AWS::ECS::TaskDefinition").get(0).getValue()
                .path("Properties").path("ContainerDefinitions").get(0).path("Environment");
        assertThat(env.toString()).contains("{\"Name\":\"SCANNER_FINDINGS_EVENT_BUS\",\"Value\":\"" + bus + "\"}");
    }

    private static Path repoRoot() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("cdk.json"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cdk.json not found above " + Paths.get("").toAbsolutePath());
        }
        return p;
    }
}
