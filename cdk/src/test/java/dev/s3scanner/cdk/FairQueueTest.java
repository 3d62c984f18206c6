package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;

/** FairQueue used on its own, as another team would. */
class FairQueueTest {

    private static Template defaults;
    private static Template withKey;
    private static FairQueue defaultQueue;

    @BeforeAll
    static void synth() {
        // given: one stack with default props and a consumer, one with a customer-managed key
        Stack stack = new Stack(new App(), "Defaults");
        defaultQueue = new FairQueue(stack, "Tasks", null);
        Role consumer = Role.Builder.create(stack, "Consumer").assumedBy(new AccountRootPrincipal()).build();
        defaultQueue.grantConsume(consumer);
        defaults = Template.fromStack(stack);

        Stack keyed = new Stack(new App(), "Keyed");
        new FairQueue(keyed, "Tasks", FairQueueProps.builder()
                .encryptionKey(new Key(keyed, "Key"))
                .processingBudget(Duration.minutes(10))
                .maxReceiveCount(3)
                .build());
        withKey = Template.fromStack(keyed);
    }

    @Test
    void queuesAreStandardNotFifo() {
        // then: a FIFO queue with group = bucket would serialise each bucket (cases/15)
        defaults.resourceCountIs("AWS::SQS::Queue", 2);
        defaults.allResourcesProperties("AWS::SQS::Queue", Map.of("FifoQueue", Match.absent()));
    }

    @Test
    void mainQueueRedrivesToTheDeadLetterQueueAfterFiveReceives() {
        // then
        String dlq = Templates.logicalId(defaults, "AWS::SQS::Queue", "DeadLetterQueue");
        defaults.hasResourceProperties("AWS::SQS::Queue", Map.of("RedrivePolicy", Map.of(
                "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(dlq, "Arn")),
                "maxReceiveCount", 5)));
        assertThat(defaultQueue.getMaxReceiveCount()).isEqualTo(5);
    }

    @Test
    void visibilityTimeoutIsTwiceTheProcessingBudget() {
        // then: default budget 1 min -> 120 s; 10 min -> 1200 s (cases/13)
        defaults.hasResourceProperties("AWS::SQS::Queue", Map.of("VisibilityTimeout", 120, "RedrivePolicy", Match.anyValue()));
        withKey.hasResourceProperties("AWS::SQS::Queue", Map.of("VisibilityTimeout", 1200,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 3))));
    }

    @Test
    void bothQueuesUseSqsManagedEncryptionByDefault() {
        // then
        defaults.resourcePropertiesCountIs("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true), 2);
    }

    @Test
    void bothQueuesUseTheGivenKey() {
        // then
        String key = Templates.logicalId(withKey, "AWS::KMS::Key", "Key");
        withKey.resourcePropertiesCountIs("AWS::SQS::Queue",
                Map.of("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))), 2);
    }

    @Test
    void bothQueuesDenyRequestsWithoutTls() {
        // then
        defaults.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))), 2);
    }

    @Test
    void consumerMayExtendVisibilityAndDelete() {
        // when
        List<String> actions = Templates.policyStatements(defaults).stream()
                .flatMap(e -> Templates.strings(e.getValue().path("Action")).stream()).toList();

        // then
        assertThat(actions).contains("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage");
        assertThat(actions).doesNotContain("sqs:*", "sqs:SendMessage");
    }

    @Test
    void alarmsWatchTheOldestMessageAndTheDeadLetterQueue() {
        // then
        defaults.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateAgeOfOldestMessage", "Threshold", 3600));
        defaults.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Threshold", 1,
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value",
                        Map.of("Fn::GetAtt", List.of(Templates.logicalId(defaults, "AWS::SQS::Queue", "DeadLetterQueue"), "QueueName"))))));
    }

    @Test
    void fairQueueMetricsUseTheSqsNames() {
        // then
        assertThat(defaultQueue.metricApproximateNumberOfNoisyGroups(null).getMetricName()).isEqualTo("ApproximateNumberOfNoisyGroups");
        assertThat(defaultQueue.metricApproximateNumberOfMessagesVisibleInQuietGroups(null).getMetricName())
                .isEqualTo("ApproximateNumberOfMessagesVisibleInQuietGroups");
        assertThat(defaultQueue.metricApproximateAgeOfOldestMessageInQuietGroups(null).getMetricName())
                .isEqualTo("ApproximateAgeOfOldestMessageInQuietGroups");
        assertThat(defaultQueue.metricApproximateNumberOfNoisyGroups(null).getNamespace()).isEqualTo("AWS/SQS");
    }

    @Test
    void reusableConstructEmitsNoOutputs() {
        // then
        JsonNode outputs = Templates.tree(defaults).path("Outputs");
        assertThat(outputs.isMissingNode() || outputs.isEmpty()).isTrue();
    }

    @Test
    void budgetOverSixHoursIsRejected() {
        // given
        Stack stack = new Stack(new App(), "Bad");
        FairQueueProps props = FairQueueProps.builder().processingBudget(Duration.hours(7)).build();

        // when / then
        assertThatThrownBy(() -> new FairQueue(stack, "Q", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("processingBudget must be between 1 second and 6 hours (the visibility timeout is twice"
                        + " the budget, at most 12 hours), got 7 hours");
    }

    @Test
    void zeroReceivesAndShortRetentionAreRejectedTogether() {
        // given
        Stack stack = new Stack(new App(), "Bad");
        FairQueueProps props = FairQueueProps.builder().maxReceiveCount(0).retentionPeriod(Duration.seconds(30)).build();

        // when / then
        assertThatThrownBy(() -> new FairQueue(stack, "Q", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxReceiveCount must be between 1 and 1000, got 0; "
                        + "retentionPeriod must be between 1 minute and 14 days, got 30 seconds");
    }

    @Test
    void quietTenantsWaitingWhileOneIsNoisyRaiseAnAlarm() {
        // given
        Stack stack = new Stack(new App(), "Quiet");
        FairQueue queue = new FairQueue(stack, "Q", FairQueueProps.builder()
                .quietGroupAgeAlarmThreshold(Duration.minutes(5)).build());

        // when
        JsonNode alarm = Templates.resource(Template.fromStack(stack), "AWS::CloudWatch::Alarm", "QuietGroupAgeAlarm")
                .path("Properties");

        // then: without a noisy tenant the expression is 0, so a single large scan alone never fires it
        assertThat(alarm.path("Threshold").asInt()).isEqualTo(300);
        assertThat(alarm.path("Metrics").get(0).path("Expression").asText())
                .isEqualTo("IF(FILL(noisy, 0) > 0, FILL(quietAge, 0), 0)");
        assertThat(alarm.has("AlarmActions")).isFalse();
        assertThat(queue.getQuietGroupAgeAlarm()).isNotNull();
    }

    @Test
    void alarmThresholdsOutOfRangeAreRejectedTogether() {
        // given
        Stack stack = new Stack(new App(), "Bad");
        FairQueueProps props = FairQueueProps.builder().oldestMessageAgeAlarmThreshold(Duration.seconds(10))
                .quietGroupAgeAlarmThreshold(Duration.days(15)).build();

        // when / then
        assertThatThrownBy(() -> new FairQueue(stack, "Q", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("oldestMessageAgeAlarmThreshold must be between 1 minute and 14 days, got 10 seconds; "
                        + "quietGroupAgeAlarmThreshold must be between 1 minute and 14 days, got 15 days");
    }
}
