package com.example.scanning;

import dev.s3scanner.cdk.FairQueue;
import dev.s3scanner.cdk.FairQueueProps;
import dev.s3scanner.cdk.ScaleSettings;
import dev.s3scanner.cdk.ScaleTier;
import dev.s3scanner.cdk.ScannerPipeline;
import dev.s3scanner.cdk.ScannerPipelineProps;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketAttributes;

/**
 * A platform team's app: one stack uses only {@link FairQueue} for its own work items, the
 * other deploys the whole {@link ScannerPipeline} over two existing buckets (one SSE-KMS).
 */
public final class ConsumerApp {

    private ConsumerApp() {
    }

    /** Builds both stacks into {@code app}. */
    public static void build(App app) {
        Stack queueOnly = new Stack(app, "TeamQueue");
        FairQueue queue = new FairQueue(queueOnly, "WorkItems", FairQueueProps.builder()
                .processingBudget(Duration.minutes(5))
                .maxReceiveCount(3)
                .build());
        Role consumer = Role.Builder.create(queueOnly, "Consumer").assumedBy(new AccountRootPrincipal()).build();
        queue.grantConsume(consumer);

        Stack scanner = new Stack(app, "TeamScanner");
        new ScannerPipeline(scanner, "Scanner", ScannerPipelineProps.builder()
                .settings(ScaleSettings.builder().from(ScaleTier.MEDIUM.settings()).maxWorkers(8).build())
                .targetBuckets(List.of(
                        Bucket.fromBucketName(scanner, "Logs", "team-logs-bucket"),
                        Bucket.fromBucketAttributes(scanner, "Finance", BucketAttributes.builder()
                                .bucketName("team-finance-bucket")
                                .encryptionKey(Key.fromKeyArn(scanner, "FinanceKey",
                                        "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"))
                                .build())))
                .build());
    }

    /** @param args ignored; synthesizes into cdk.out */
    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }
}
