package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.s3.Bucket;

/** Each invalid combination of props fails early with a message naming the props. */
class ValidationTest {

    private static Stack stack() {
        return new Stack(new App(), "Invalid");
    }

    @Test
    void inventoryPropsNeedInventoryMode() {
        // given
        Stack s = stack();
        ScannerPipelineProps props = ScannerPipelineProps.builder()
                .inventoryReportsBucket(Bucket.fromBucketName(s, "Reports", "reports"))
                .inventoryReportsPrefix("inventory/")
                .build();

        // when / then
        assertThatThrownBy(() -> new ScannerPipeline(s, "Scanner", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inventoryReportsBucket, inventoryReportsPrefix can be set only when settings.inventoryMode"
                        + " is true (tier small has it off; use tier enterprise or inventoryMode(true))");
    }

    @Test
    void handoffBoundMustKeepAnExecutionUnderTheHistoryLimit() {
        // given
        ScannerPipelineProps props = ScannerPipelineProps.builder().handoffIterations(2501).build();

        // when / then
        assertThatThrownBy(() -> new ScannerPipeline(stack(), "Scanner", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("handoffIterations must be between 1 and 2500 (about 7 history events each, under the"
                        + " 25,000-event limit), got 2501");
    }

    @Test
    void everyOutOfRangeNumberIsReportedAtOnce() {
        // given
        ScannerPipelineProps props = ScannerPipelineProps.builder()
                .handoffIterations(0).listPagesPerInvocation(101).backlogPerTaskTarget(1).maxObjectBytes(0L).build();

        // when / then
        assertThatThrownBy(() -> new ScannerPipeline(stack(), "Scanner", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("handoffIterations must be between 1 and 2500 (about 7 history events each, under the"
                        + " 25,000-event limit), got 0; listPagesPerInvocation must be between 1 and 100, got 101;"
                        + " backlogPerTaskTarget must be 2 or more, got 1; maxObjectBytes must be 1 or more, got 0");
    }

    @Test
    void pipelineWithoutTargetBucketsFailsAtSynth() {
        // given
        App app = Synth.unstagedApp();
        Stack s = new Stack(app, "NoBuckets");
        new ScannerPipeline(s, "Scanner", ScannerPipelineProps.builder().build());

        // when / then
        assertThatThrownBy(app::synth)
                .hasMessageContaining("[NoBuckets/Scanner] targetBuckets must name at least one bucket"
                        + " (pass targetBuckets or call addTargetBucket)");
    }

    @Test
    void reportsPrefixWithLeadingSlashIsRejected() {
        // given
        InventoryModeProps props = InventoryModeProps.builder().reportsPrefix("/inventory/").build();

        // when / then
        assertThatThrownBy(() -> new InventoryMode(stack(), "Inventory", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reportsPrefix must not start with '/': S3 keys have no leading slash, got '/inventory/'");
    }

    @Test
    void databaseStorageOutOfRangeIsRejected() {
        // given
        Stack s = stack();
        ProgressDatabaseProps props = ProgressDatabaseProps.builder()
                .vpc(new Vpc(s, "Vpc")).allocatedStorageGiB(10).build();

        // when / then
        assertThatThrownBy(() -> new ProgressDatabase(s, "Db", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allocatedStorageGiB must be between 20 and 16384, got 10");
    }

    @Test
    void blankInitQueryIsRejected() {
        // given
        Stack s = stack();
        ProgressDatabaseProps props = ProgressDatabaseProps.builder().vpc(new Vpc(s, "Vpc")).proxyInitQuery(" ").build();

        // when / then
        assertThatThrownBy(() -> new ProgressDatabase(s, "Db", props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("proxyInitQuery must not be blank: leave it unset for the default");
    }

    @Test
    void databaseWithoutVpcFailsLikeJsii() {
        // when / then
        assertThatThrownBy(() -> ProgressDatabaseProps.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("vpc must not be null");
    }

    @Test
    void keyForABucketThatIsNotATargetIsRejected() {
        // given
        Map<String, Object> ctx = Map.of("targetBuckets", "a-bucket", "targetBucketKeys", "other-bucket=arn:aws:kms:us-east-1:111122223333:key/x");

        // when / then
        assertThatThrownBy(() -> Synth.app(ctx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context targetBucketKeys names buckets that are not in targetBuckets: other-bucket");
    }

    @Test
    void malformedKeyPairIsRejected() {
        // given
        Map<String, Object> ctx = Map.of("targetBuckets", "a-bucket", "targetBucketKeys", "a-bucket");

        // when / then
        assertThatThrownBy(() -> Synth.app(ctx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context targetBucketKeys must be bucket=kmsKeyArn pairs, got 'a-bucket'");
    }

    @Test
    void invalidTierInContextIsRejected() {
        // given
        Map<String, Object> ctx = Map.of("tier", "xl", "targetBuckets", "a-bucket");

        // when / then
        assertThatThrownBy(() -> Synth.app(ctx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tier must be one of small, medium, large, enterprise, got 'xl'");
    }

    @Test
    void unusedListIsNotNeededForBuilders() {
        // given: builder copies lists, so later changes to the caller's list do not leak in
        java.util.ArrayList<software.amazon.awscdk.services.s3.IBucket> buckets = new java.util.ArrayList<>();
        ScannerPipelineProps props = ScannerPipelineProps.builder().targetBuckets(buckets).build();

        // when
        buckets.add(null);

        // then
        org.assertj.core.api.Assertions.assertThat(props.getTargetBuckets()).isEqualTo(List.of());
    }
}
