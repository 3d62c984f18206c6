package dev.s3scanner.cdk;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/** Shared shape of the Java Lambda functions: runtime, log group with retention, VPC, sorted env. */
final class JavaFunctions {

    /** The latest Java runtime (cdk-nag L1); runs the Java 17 bytecode and supports SnapStart. */
    static final Runtime RUNTIME = Runtime.JAVA_25;

    private JavaFunctions() {
    }

    /** Builder pre-filled with the common settings; callers add memory, timeout and extras. */
    static Function.Builder builder(Construct scope, String id, Code code, String handler, IVpc vpc,
                                    SubnetSelection subnets, Map<String, String> env, String description) {
        LogGroup logs = LogGroup.Builder.create(scope, id + "Logs")
                .retention(RetentionDays.THREE_MONTHS)
                .build();
        return Function.Builder.create(scope, id)
                .description(description)
                .runtime(RUNTIME)
                .architecture(Architecture.X86_64)
                .code(code)
                .handler(handler)
                .vpc(vpc)
                .vpcSubnets(subnets)
                .logGroup(logs)
                // JVM flags that trim cold start (tiered compilation stops at C1), per the Lambda Java guide
                .environment(sorted(env, Map.of("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")));
    }

    @SafeVarargs
    static Map<String, String> sorted(Map<String, String>... maps) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> m : maps) {
            out.putAll(m);
        }
        return out;
    }
}
