package dev.s3scanner.cdk;

import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Properties of a {@link ProgressDatabase}. Only {@link #getVpc()} is required; build with
 * {@link #builder()}.
 */
public interface ProgressDatabaseProps {

    /** @return the VPC for the database, its proxy and its functions (required) */
    IVpc getVpc();

    /**
     * Subnets of the database instance.
     *
     * @return the selection
     * @default - the VPC's isolated subnets when it has any, else its private subnets with egress
     */
    default SubnetSelection getDatabaseSubnets() { return null; }

    /**
     * Subnets of the RDS Proxy and of the refresh and migration functions; they need a route to
     * Secrets Manager (NAT or an interface endpoint).
     *
     * @return the selection
     * @default - the VPC's private subnets with egress
     */
    default SubnetSelection getFunctionSubnets() { return null; }

    /**
     * @return the instance class
     * @default - db.t3.medium ({@link ScaleTier#SMALL})
     */
    default InstanceType getInstanceType() { return null; }

    /**
     * @return whether the instance is Multi-AZ
     * @default false
     */
    default Boolean getMultiAz() { return null; }

    /**
     * @return initial storage in GiB; storage autoscaling may grow it to 4 times this
     * @default 50
     */
    default Integer getAllocatedStorageGiB() { return null; }

    /**
     * @return whether the migrations create {@code job_objects} partitioned (env
     *         {@code SCANNER_PARTITIONED=true} on the migration function)
     * @default false
     */
    default Boolean getPartitionedJobObjects() { return null; }

    /**
     * @return whether clients must authenticate to the proxy with IAM ({@code IAMAuth: REQUIRED});
     *         the runtime authenticates with the secret's password, so enable this only for
     *         runtime code built for IAM auth
     * @default false
     */
    default Boolean getIamAuth() { return null; }

    /**
     * Session settings the proxy runs on each new database connection, so the application never
     * sends {@code SET} (which would pin its session, cases/16).
     *
     * @return one or more SQL statements separated by {@code ;}
     * @default - {@value ProgressDatabase#DEFAULT_INIT_QUERY}
     */
    default String getProxyInitQuery() { return null; }

    /**
     * @return the refresher jar (handlers {@code RefreshHandler} and {@code MigrateHandler})
     * @default - the jar embedded in this library ({@link RuntimeAssets#refresherCode()})
     */
    default Code getRefresherCode() { return null; }

    /**
     * @return key for storage encryption
     * @default - the account's AWS managed key for RDS
     */
    default IKey getStorageEncryptionKey() { return null; }

    /**
     * @return automated backup retention
     * @default - 7 days
     */
    default Duration getBackupRetention() { return null; }

    /**
     * @return whether the instance has deletion protection
     * @default true
     */
    default Boolean getDeletionProtection() { return null; }

    /**
     * @return what happens to the instance when it leaves the stack
     * @default RemovalPolicy.SNAPSHOT
     */
    default RemovalPolicy getRemovalPolicy() { return null; }

    /**
     * CloudWatch namespace of the refresher's metrics ({@code POWERTOOLS_METRICS_NAMESPACE});
     * the rules of {@link ScannerMetrics#checkNamespace(String)} apply.
     *
     * @return the namespace
     * @default {@value ScannerMetrics#DEFAULT_NAMESPACE}
     */
    default String getMetricsNamespace() { return null; }

    /** @return a new builder */
    static Builder builder() { return new Builder(); }

    /** Builder for {@link ProgressDatabaseProps}. */
    final class Builder {
        private IVpc vpc;
        private SubnetSelection databaseSubnets;
        private SubnetSelection functionSubnets;
        private InstanceType instanceType;
        private Boolean multiAz;
        private Integer allocatedStorageGiB;
        private Boolean partitionedJobObjects;
        private Boolean iamAuth;
        private String proxyInitQuery;
        private Code refresherCode;
        private IKey storageEncryptionKey;
        private Duration backupRetention;
        private Boolean deletionProtection;
        private RemovalPolicy removalPolicy;
        private String metricsNamespace;

        private Builder() { }

        /**

         * @param v see {@link ProgressDatabaseProps#getVpc()}

         * @return this builder

         */
        public Builder vpc(IVpc v) { vpc = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getDatabaseSubnets()}
         * @return this builder
         */
        public Builder databaseSubnets(SubnetSelection v) { databaseSubnets = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getFunctionSubnets()}
         * @return this builder
         */
        public Builder functionSubnets(SubnetSelection v) { functionSubnets = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getInstanceType()}
         * @return this builder
         */
        public Builder instanceType(InstanceType v) { instanceType = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getMultiAz()}
         * @return this builder
         */
        public Builder multiAz(Boolean v) { multiAz = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getAllocatedStorageGiB()}
         * @return this builder
         */
        public Builder allocatedStorageGiB(Integer v) { allocatedStorageGiB = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getPartitionedJobObjects()}
         * @return this builder
         */
        public Builder partitionedJobObjects(Boolean v) { partitionedJobObjects = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getIamAuth()}
         * @return this builder
         */
        public Builder iamAuth(Boolean v) { iamAuth = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getProxyInitQuery()}
         * @return this builder
         */
        public Builder proxyInitQuery(String v) { proxyInitQuery = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getRefresherCode()}
         * @return this builder
         */
        public Builder refresherCode(Code v) { refresherCode = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getStorageEncryptionKey()}
         * @return this builder
         */
        public Builder storageEncryptionKey(IKey v) { storageEncryptionKey = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getBackupRetention()}
         * @return this builder
         */
        public Builder backupRetention(Duration v) { backupRetention = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getDeletionProtection()}
         * @return this builder
         */
        public Builder deletionProtection(Boolean v) { deletionProtection = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getRemovalPolicy()}
         * @return this builder
         */
        public Builder removalPolicy(RemovalPolicy v) { removalPolicy = v; return this; }
        /**
         * @param v see {@link ProgressDatabaseProps#getMetricsNamespace()}
         * @return this builder
         */
        public Builder metricsNamespace(String v) { metricsNamespace = v; return this; }

        /**
         * @return the immutable props
         * @throws NullPointerException when vpc is not set
         */
        public ProgressDatabaseProps build() {
            IVpc v = Objects.requireNonNull(vpc, "vpc must not be null");
            Builder b = this;
            SubnetSelection ds = b.databaseSubnets, fs = b.functionSubnets;
            InstanceType it = b.instanceType;
            Boolean maz = b.multiAz, part = b.partitionedJobObjects, iam = b.iamAuth, dp = b.deletionProtection;
            Integer st = b.allocatedStorageGiB;
            String iq = b.proxyInitQuery;
            Code code = b.refresherCode;
            IKey key = b.storageEncryptionKey;
            Duration br = b.backupRetention;
            RemovalPolicy rp = b.removalPolicy;
            String ns = b.metricsNamespace;
            return new ProgressDatabaseProps() {
                @Override public IVpc getVpc() { return v; }
                @Override public SubnetSelection getDatabaseSubnets() { return ds; }
                @Override public SubnetSelection getFunctionSubnets() { return fs; }
                @Override public InstanceType getInstanceType() { return it; }
                @Override public Boolean getMultiAz() { return maz; }
                @Override public Integer getAllocatedStorageGiB() { return st; }
                @Override public Boolean getPartitionedJobObjects() { return part; }
                @Override public Boolean getIamAuth() { return iam; }
                @Override public String getProxyInitQuery() { return iq; }
                @Override public Code getRefresherCode() { return code; }
                @Override public IKey getStorageEncryptionKey() { return key; }
                @Override public Duration getBackupRetention() { return br; }
                @Override public Boolean getDeletionProtection() { return dp; }
                @Override public RemovalPolicy getRemovalPolicy() { return rp; }
                @Override public String getMetricsNamespace() { return ns; }
            };
        }
    }
}
