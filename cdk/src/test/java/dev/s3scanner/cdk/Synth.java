package dev.s3scanner.cdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the app once per tier per test JVM and shares the result between test classes
 * (surefire runs all CDK tests in one fork), because one full synth costs seconds.
 */
final class Synth {

    /** Bucket names and the KMS key used by every tier's synth. */
    static final String PLAIN_BUCKET = "example-src-bucket";
    static final String KMS_BUCKET = "example-finance-bucket";
    static final String KMS_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000";

    /** One synthesized stack. */
    record Result(ScannerStack stack, Template template, Annotations annotations) {
    }

    private static final Map<String, Result> CACHE = new ConcurrentHashMap<>();

    private Synth() {
    }

    /** @return the app synthesized for {@code tier} with the shared test buckets */
    static Result tier(ScaleTier tier) {
        return CACHE.computeIfAbsent(tier.id(), t -> {
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("tier", t);
            ctx.put("targetBuckets", PLAIN_BUCKET + "," + KMS_BUCKET);
            ctx.put("targetBucketKeys", KMS_BUCKET + "=" + KMS_KEY_ARN);
            return app(ctx);
        });
    }

    /** @return an empty app that hashes assets without copying them into its cloud assembly */
    static App unstagedApp() {
        return new App(AppProps.builder().context(Map.of("aws:cdk:disable-asset-staging", true)).build());
    }

    /** @return the app synthesized with {@code context} (not cached) */
    static Result app(Map<String, Object> context) {
        Map<String, Object> ctx = new LinkedHashMap<>(context);
        // hash the assets but do not copy ~70 MB into a temporary cloud assembly on every synth
        ctx.put("aws:cdk:disable-asset-staging", true);
        App app = new App(AppProps.builder().context(ctx).build());
        ScannerStack stack = ScannerApp.build(app);
        Template template = Template.fromStack(stack);
        return new Result(stack, template, Annotations.fromStack(stack));
    }
}
