package dev.s3scanner.cdk;

import java.util.ArrayList;
import java.util.List;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.constructs.IConstruct;

/** cdk-nag suppressions, each on the narrowest construct and with its reason. */
final class Nag {
    private Nag() {
    }

    /**
     * @param construct the construct (and its children) the finding is on
     * @param rule e.g. {@code AwsSolutions-IAM4}
     * @param reason why the finding is acceptable (10 characters or more)
     * @param appliesTo the exact findings (e.g. {@code Policy::arn:<AWS::Partition>:iam::aws:policy/...}); none = all of the rule
     */
    static void suppress(IConstruct construct, String rule, String reason, String... appliesTo) {
        NagPackSuppression.Builder b = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            List<Object> list = new ArrayList<>(List.of((Object[]) appliesTo));
            b.appliesTo(list);
        }
        NagSuppressions.addResourceSuppressions(construct, List.of(b.build()), true);
    }

    /**
     * Like {@link #suppress} for IAM5-style granular findings matched by regular expressions
     * (cdk-nag's {@code RegexAppliesTo}, written {@code /pattern/}).
     */
    static void suppressMatching(IConstruct construct, String rule, String reason, String... regexes) {
        List<Object> list = new ArrayList<>();
        for (String r : regexes) {
            list.add(RegexAppliesTo.builder().regex("/" + r + "/").build());
        }
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).appliesTo(list).build()), true);
    }

    /** Suppresses the managed policies every VPC Lambda function's role gets. */
    static void lambdaManagedPolicies(IConstruct role) {
        suppress(role, "AwsSolutions-IAM4",
                "AWS managed policies for Lambda logging and VPC ENIs are the documented minimum for a VPC function",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
    }
}
