package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;

/** ProgressDatabase used on its own, with IAM authentication required at the proxy. */
class ProgressDatabaseTest {

    private static Template template;

    @BeforeAll
    static void synth() {
        // given
        Stack stack = new Stack(new App(AppProps.builder().context(Map.of("aws:cdk:disable-asset-staging", true)).build()), "Db");
        ProgressDatabase db = new ProgressDatabase(stack, "Progress", ProgressDatabaseProps.builder()
                .vpc(new Vpc(stack, "Vpc"))
                .iamAuth(true)
                .proxyInitQuery("SET statement_timeout = '30s'")
                .build());
        Role client = Role.Builder.create(stack, "Client").assumedBy(new AccountRootPrincipal()).build();
        db.grantConnect(client);
        template = Template.fromStack(stack);
    }

    @Test
    void proxyRequiresIamAuthAndTheClientMayConnect() {
        // when
        List<String> actions = Templates.policyStatements(template).stream()
                .filter(e -> e.getKey().contains("Client"))
                .flatMap(e -> Templates.strings(e.getValue().path("Action")).stream()).toList();

        // then
        template.hasResourceProperties("AWS::RDS::DBProxy", Map.of("RequireTLS", true,
                "Auth", List.of(Match.objectLike(Map.of("IAMAuth", "REQUIRED")))));
        assertThat(actions).contains("rds-db:connect", "secretsmanager:GetSecretValue");
    }

    @Test
    void initQueryCanBeReplaced() {
        // then
        template.hasResourceProperties("AWS::RDS::DBProxyTargetGroup", Map.of("ConnectionPoolConfigurationInfo",
                Match.objectLike(Map.of("InitQuery", "SET statement_timeout = '30s'"))));
    }

    @Test
    void databaseUsesPrivateSubnetsWhenTheVpcHasNoIsolatedOnes() {
        // when: a default Vpc has public and private (with egress) subnets only
        String subnets = Templates.resources(template, "AWS::RDS::DBSubnetGroup").get(0).getValue()
                .path("Properties").path("SubnetIds").toString();

        // then
        assertThat(subnets).contains("VpcPrivateSubnet1").contains("VpcPrivateSubnet2").doesNotContain("Public");
        template.hasResourceProperties("AWS::RDS::DBInstance", Map.of("PubliclyAccessible", false, "StorageEncrypted", true));
    }
}
