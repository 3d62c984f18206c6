package dev.s3scanner.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketAttributes;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Node;

/**
 * The CDK app that {@code cdk.json} runs: {@code npx cdk synth -c tier=large} (or deploy).
 *
 * <p>Context keys (each optional): the {@link ScaleSettings} keys ({@code tier},
 * {@code maxWorkers}, {@code minWorkers}, {@code workerCpu}, {@code workerMemoryMiB},
 * {@code databaseInstanceType}, {@code multiAz}, {@code allocatedStorageGiB},
 * {@code partitionedJobObjects}, {@code inventoryMode}, {@code oldestScanTaskAlarmMinutes},
 * {@code quietTenantAlarmMinutes}); {@code targetBuckets} (comma-separated
 * bucket names); {@code targetBucketKeys} (comma-separated {@code bucket=kmsKeyArn} pairs for
 * buckets encrypted with a customer-managed key); {@code inventoryReportsBucket} and
 * {@code inventoryReportsPrefix}; {@code alarmTopicArn} (SNS topic every alarm notifies);
 * {@code findingsEventBusArn} (EventBridge bus the workers publish findings to);
 * {@code metricsNamespace}; {@code stackName} (default {@code S3Scanner}); {@code account}
 * and {@code region} (default: environment-agnostic); {@code nag} ({@code false} turns the
 * cdk-nag AwsSolutions checks off; default on).
 */
public final class ScannerApp {

    private ScannerApp() {
    }

    /**
     * Synthesizes the app into {@code cdk.out} (or {@code CDK_OUTDIR} when the CDK CLI runs it).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /**
     * Adds the scanner stack, configured from the app's context, to {@code app}.
     *
     * @param app the app (its context is read)
     * @return the stack
     * @throws IllegalArgumentException when a context value is invalid; the message names the key
     */
    public static ScannerStack build(App app) {
        Node ctx = app.getNode();
        ScaleSettings settings = ScaleSettings.fromContext(ctx);
        String stackName = string(ctx, "stackName", "S3Scanner");
        StackProps.Builder stackProps = StackProps.builder()
                .description("S3 Scanner (" + settings.getTier().id() + " tier)");
        String account = string(ctx, "account", null);
        String region = string(ctx, "region", null);
        if (account != null || region != null) {
            stackProps.env(Environment.builder().account(account).region(region).build());
        }
        ScannerStack stack = new ScannerStack(app, stackName, stackProps.build(), s -> {
            ScannerPipelineProps.Builder props = ScannerPipelineProps.builder()
                    .settings(settings)
                    .targetBuckets(targetBuckets(s, ctx));
            String reportsBucket = string(ctx, "inventoryReportsBucket", null);
            if (reportsBucket != null) {
                props.inventoryReportsBucket(Bucket.fromBucketName(s, "InventoryReports", reportsBucket));
            }
            String reportsPrefix = string(ctx, "inventoryReportsPrefix", null);
            if (reportsPrefix != null) {
                props.inventoryReportsPrefix(reportsPrefix);
            }
            String topicArn = string(ctx, "alarmTopicArn", null);
            if (topicArn != null) {
                props.alarmTopic(Topic.fromTopicArn(s, "AlarmTopic", topicArn));
            }
            String busArn = string(ctx, "findingsEventBusArn", null);
            if (busArn != null) {
                props.findingsEventBus(EventBus.fromEventBusArn(s, "FindingsEventBus", busArn));
            }
            props.metricsNamespace(string(ctx, "metricsNamespace", null));
            return props.build();
        });
        if (Boolean.parseBoolean(string(ctx, "nag", "true"))) {
            Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        }
        return stack;
    }

    private static List<IBucket> targetBuckets(ScannerStack stack, Node ctx) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : list(string(ctx, "targetBucketKeys", ""))) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("context targetBucketKeys must be bucket=kmsKeyArn pairs, got '" + pair + "'");
            }
            keys.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        List<IBucket> out = new ArrayList<>();
        for (String name : list(string(ctx, "targetBuckets", ""))) {
            BucketAttributes.Builder attrs = BucketAttributes.builder().bucketName(name);
            if (keys.containsKey(name)) {
                attrs.encryptionKey(Key.fromKeyArn(stack, "TargetKey-" + name, keys.remove(name)));
            }
            out.add(Bucket.fromBucketAttributes(stack, "Target-" + name, attrs.build()));
        }
        if (!keys.isEmpty()) {
            throw new IllegalArgumentException("context targetBucketKeys names buckets that are not in targetBuckets: "
                    + String.join(", ", keys.keySet()));
        }
        return out;
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String string(Node ctx, String key, String fallback) {
        Object v = ctx.tryGetContext(key);
        return v == null ? fallback : v.toString();
    }
}
