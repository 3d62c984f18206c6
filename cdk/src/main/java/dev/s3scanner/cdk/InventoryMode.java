package dev.s3scanner.cdk;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The switch that lets listing read S3 Inventory reports (manifest.json plus CSV/Parquet/ORC
 * data files) instead of calling ListObjectsV2, for buckets with tens of millions of objects
 * (cases/05: route very large buckets to the inventory path).
 *
 * <p>It names where reports are ({@link #environment()}: {@code SCANNER_INVENTORY_BUCKET},
 * {@code SCANNER_INVENTORY_PREFIX}) and grants exactly what reading them needs
 * ({@link #grantRead(IGrantable)}: {@code s3:GetObject} under the prefix, {@code s3:ListBucket}
 * limited to the prefix, and {@code kms:Decrypt} when the bucket has a key).
 */
public class InventoryMode extends Construct {

    private final IBucket reportsBucket;
    private final String reportsPrefix;
    private final Bucket createdBucket;

    /**
     * @param scope parent
     * @param id construct id
     * @param props optional settings, may be {@code null}
     * @throws IllegalArgumentException when {@code reportsPrefix} starts with {@code /}
     */
    public InventoryMode(Construct scope, String id, InventoryModeProps props) {
        super(scope, id);
        InventoryModeProps p = props == null ? InventoryModeProps.builder().build() : props;
        this.reportsPrefix = p.getReportsPrefix() == null ? "" : p.getReportsPrefix();
        if (reportsPrefix.startsWith("/")) {
            throw new IllegalArgumentException("reportsPrefix must not start with '/': S3 keys have no leading slash, got '"
                    + reportsPrefix + "'");
        }
        if (p.getReportsBucket() != null) {
            this.reportsBucket = p.getReportsBucket();
            this.createdBucket = null;
        } else {
            this.createdBucket = Bucket.Builder.create(this, "ReportsBucket")
                    .encryption(BucketEncryption.S3_MANAGED)
                    .enforceSsl(true)
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .build();
            Stack stack = Stack.of(this);
            Map<String, Object> account = new TreeMap<>();
            account.put("aws:SourceAccount", stack.getAccount());
            Map<String, Object> acl = new TreeMap<>();
            acl.put("s3:x-amz-acl", "bucket-owner-full-control");
            Map<String, Object> conditions = new TreeMap<>();
            conditions.put("StringEquals", mergeMaps(account, acl));
            createdBucket.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowS3InventoryDelivery")
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal("s3.amazonaws.com")))
                    .actions(List.of("s3:PutObject"))
                    .resources(List.of(createdBucket.arnForObjects(reportsPrefix + "*")))
                    .conditions(conditions)
                    .build());
            Nag.suppress(createdBucket, "AwsSolutions-S1",
                    "Holds only S3 Inventory reports written by the S3 service; object-level access is auditable with CloudTrail data events");
            this.reportsBucket = createdBucket;
        }
    }

    private static Map<String, Object> mergeMaps(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new TreeMap<>(a);
        m.putAll(b);
        return m;
    }

    /** @return the bucket the reports are read from */
    public IBucket getReportsBucket() { return reportsBucket; }

    /** @return the key prefix of the reports ("" = whole bucket) */
    public String getReportsPrefix() { return reportsPrefix; }

    /** @return Conditional: the reports bucket this construct created, or {@code null} when one was given */
    public Bucket getCreatedBucket() { return createdBucket; }

    /**
     * Grants reading the reports: {@code s3:GetObject} on {@code <bucket>/<prefix>*},
     * {@code s3:ListBucket} on the bucket limited to keys under the prefix, and
     * {@code kms:Decrypt} on the bucket's key when it has one.
     *
     * @param grantee the lister's principal
     * @return the {@code s3:GetObject} grant
     */
    public Grant grantRead(IGrantable grantee) {
        Grant get = Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("s3:GetObject"))
                .resourceArns(List.of(reportsBucket.arnForObjects(reportsPrefix + "*")))
                .build());
        PolicyStatement.Builder list = PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(reportsBucket.getBucketArn()));
        if (!reportsPrefix.isEmpty()) {
            list.conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(reportsPrefix + "*"))));
        }
        grantee.getGrantPrincipal().addToPrincipalPolicy(list.build());
        if (reportsBucket.getEncryptionKey() != null) {
            reportsBucket.getEncryptionKey().grantDecrypt(grantee);
        }
        return get;
    }

    /** @return {@code SCANNER_INVENTORY_BUCKET} and {@code SCANNER_INVENTORY_PREFIX} for the lister and API */
    public Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        env.put("SCANNER_INVENTORY_BUCKET", reportsBucket.getBucketName());
        env.put("SCANNER_INVENTORY_PREFIX", reportsPrefix);
        return env;
    }
}
