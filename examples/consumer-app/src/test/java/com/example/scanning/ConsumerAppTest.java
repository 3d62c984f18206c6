package com.example.scanning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ConsumerAppTest {

    private static Template queueOnly;
    private static Template scanner;

    @BeforeAll
    static void synth() {
        App app = new App(AppProps.builder().context(Map.of("aws:cdk:disable-asset-staging", true)).build());
        ConsumerApp.build(app);
        queueOnly = Template.fromStack((Stack) app.getNode().findChild("TeamQueue"));
        scanner = Template.fromStack((Stack) app.getNode().findChild("TeamScanner"));
    }

    @Test
    void fairQueueAloneIsAStandardQueueWithItsDeadLetterQueue() {
        // then
        queueOnly.resourceCountIs("AWS::SQS::Queue", 2);
        queueOnly.hasResourceProperties("AWS::SQS::Queue", Map.of("VisibilityTimeout", 600,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 3))));
        queueOnly.resourceCountIs("AWS::Lambda::Function", 0);
    }

    @Test
    void wholePipelineUsesTheEmbeddedRuntimeArtifacts() {
        // then
        scanner.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MaxCapacity", 8));
        scanner.hasResourceProperties("AWS::RDS::DBInstance", Map.of("DBInstanceClass", "db.t3.large", "MultiAZ", true));
        scanner.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.lister.ApiHandler::handleRequest",
                "Code", Map.of("S3Bucket", Match.anyValue(), "S3Key", Match.stringLikeRegexp("[0-9a-f]{64}\\.jar"))));
        assertThat(scanner.toJSON().toString()).contains("container-assets").contains("team-finance-bucket");
    }
}
