package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketAttributes;

/** InventoryMode used on its own with an existing, KMS-encrypted reports bucket. */
class InventoryModeTest {

    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/22222222-0000-0000-0000-000000000000";
    private static Template template;
    private static InventoryMode inventory;

    @BeforeAll
    static void synth() {
        // given
        Stack stack = new Stack(new App(), "Inventory");
        inventory = new InventoryMode(stack, "Inventory", InventoryModeProps.builder()
                .reportsBucket(Bucket.fromBucketAttributes(stack, "Reports", BucketAttributes.builder()
                        .bucketName("inventory-reports").encryptionKey(Key.fromKeyArn(stack, "Key", KEY_ARN)).build()))
                .reportsPrefix("inventory/")
                .build());
        Role lister = Role.Builder.create(stack, "Lister").assumedBy(new AccountRootPrincipal()).build();
        inventory.grantRead(lister);
        template = Template.fromStack(stack);
    }

    @Test
    void readerMayGetReportsUnderThePrefixOnly() {
        // when
        List<JsonNode> statements = Templates.policyStatements(template).stream().map(Map.Entry::getValue).toList();

        // then
        JsonNode get = statements.stream().filter(s -> Templates.strings(s.path("Action")).contains("s3:GetObject")).findFirst().orElseThrow();
        assertThat(get.path("Resource").toString()).contains("inventory-reports/inventory/*");
        JsonNode list = statements.stream().filter(s -> Templates.strings(s.path("Action")).contains("s3:ListBucket")).findFirst().orElseThrow();
        assertThat(list.path("Condition").path("StringLike").path("s3:prefix").toString()).isEqualTo("[\"inventory/*\"]");
    }

    @Test
    void readerMayDecryptWithTheReportsBucketKey() {
        // when
        List<JsonNode> kms = Templates.policyStatements(template).stream().map(Map.Entry::getValue)
                .filter(s -> Templates.strings(s.path("Action")).contains("kms:Decrypt")).toList();

        // then
        assertThat(kms).hasSize(1);
        assertThat(Templates.strings(kms.get(0).path("Resource"))).containsExactly(KEY_ARN);
    }

    @Test
    void givenBucketMeansNoBucketIsCreated() {
        // then
        template.resourceCountIs("AWS::S3::Bucket", 0);
        assertThat(inventory.getCreatedBucket()).isNull();
        assertThat(inventory.environment()).containsEntry("SCANNER_INVENTORY_PREFIX", "inventory/")
                .containsEntry("SCANNER_INVENTORY_BUCKET", "inventory-reports");
    }
}
