package dev.s3scanner.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * Properties of a {@link ScannerPipeline}. Every property is optional, but the pipeline needs at
 * least one target bucket by synth time. Build with {@link #builder()}.
 */
public interface ScannerPipelineProps {

    /**
     * The buckets the pipeline may scan. Only these get read permissions ({@code s3:GetObject}, {@code s3:GetObjectVersion}, {@code s3:ListBucket}, and {@code kms:Decrypt} on a bucket's key when the {@link IBucket} carries one) and only these are accepted by {@code POST /scan} ({@code SCANNER_ALLOWED_BUCKETS}). More can be added with {@link ScannerPipeline#addTargetBucket(IBucket)}; the pipeline must end up with at least one.
     *
     * @return the value
     * @default - none: add them with {@link ScannerPipeline#addTargetBucket(IBucket)}
     */
    default List<IBucket> getTargetBuckets() { return null; }

    /**
     * Scale settings: worker count and size, database size, partitioning, inventory mode.
     *
     * @return the value
     * @default - {@code ScaleTier.SMALL.settings()}
     */
    default ScaleSettings getSettings() { return null; }

    /**
     * The VPC. It needs private subnets with egress (functions, proxy, workers); the database goes to its isolated subnets when it has some.
     *
     * @return the value
     * @default - a new VPC: 2 AZs, public, private (1 NAT gateway) and isolated subnets, an S3 gateway endpoint and flow logs
     */
    default IVpc getVpc() { return null; }

    /**
     * Code of the lister functions (handlers {@code ApiHandler}, {@code ListBatchHandler}, {@code ListFailureHandler}); for teams that build their own jar.
     *
     * @return the value
     * @default - the jar embedded in this library ({@link RuntimeAssets#listerCode()})
     */
    default Code getListerCode() { return null; }

    /**
     * Code of the refresh and migration functions.
     *
     * @return the value
     * @default - the jar embedded in this library ({@link RuntimeAssets#refresherCode()})
     */
    default Code getRefresherCode() { return null; }

    /**
     * The worker's container image.
     *
     * @return the value
     * @default - built from the build context embedded in this library ({@link RuntimeAssets#workerImage()}) when assets are published
     */
    default ContainerImage getWorkerImage() { return null; }

    /**
     * A worker's per-message budget; the queue's visibility timeout is twice this and the workers set and extend visibility with that value ({@code SCANNER_VISIBILITY_TIMEOUT_SECONDS}, see {@link FairQueueProps#getProcessingBudget()}).
     *
     * @return the value
     * @default - 1 minute (visibility timeout 2 minutes)
     */
    default Duration getProcessingBudget() { return null; }

    /**
     * Receives before a scan task moves to the dead-letter queue.
     *
     * @return the value
     * @default 5
     */
    default Integer getMaxReceiveCount() { return null; }

    /**
     * Customer-managed key for the queues.
     *
     * @return the value
     * @default - SSE-SQS
     */
    default IKey getQueueEncryptionKey() { return null; }

    /**
     * ListObjectsV2 pages one list-batch invocation handles ({@code SCANNER_LIST_PAGES_PER_INVOCATION}); 1 to 100.
     *
     * @return the value
     * @default 10
     */
    default Integer getListPagesPerInvocation() { return null; }

    /**
     * List-batch iterations after which an execution starts a fresh execution of the state machine and ends (each iteration costs about 7 of the 25,000 history events, cases/05); 1 to 2500.
     *
     * @return the value
     * @default 1000
     */
    default Integer getHandoffIterations() { return null; }

    /**
     * Visible messages per running worker at which scaling adds a fifth of maxWorkers at once (at 1 or more it adds one task, at 0 it scales in to minWorkers); 2 or more.
     *
     * @return the value
     * @default 10
     */
    default Integer getBacklogPerTaskTarget() { return null; }

    /**
     * Objects larger than this are skipped as too large ({@code SCANNER_MAX_OBJECT_BYTES}).
     *
     * @return the value
     * @default - unset: the worker's own default
     */
    default Long getMaxObjectBytes() { return null; }

    /**
     * Authorizer of every API route.
     *
     * @return the value
     * @default - IAM authorization ({@code HttpIamAuthorizer}): callers sign requests with SigV4 and need {@code execute-api:Invoke}, see {@link ScannerPipeline#grantInvokeApi}
     */
    default IHttpRouteAuthorizer getApiAuthorizer() { return null; }

    /**
     * Where S3 Inventory reports are delivered; only with inventory mode on ({@link ScaleSettings#isInventoryMode()}).
     *
     * @return the value
     * @default - a new reports bucket when inventory mode is on
     */
    default IBucket getInventoryReportsBucket() { return null; }

    /**
     * Key prefix of the inventory reports; only with inventory mode on.
     *
     * @return the value
     * @default - "" (whole bucket)
     */
    default String getInventoryReportsPrefix() { return null; }

    /**
     * What happens to the database when it leaves the stack.
     *
     * @return the value
     * @default RemovalPolicy.SNAPSHOT
     */
    default RemovalPolicy getDatabaseRemovalPolicy() { return null; }

    /**
     * Whether the database has deletion protection.
     *
     * @return the value
     * @default true
     */
    default Boolean getDatabaseDeletionProtection() { return null; }

    /**
     * Code of the inventory-batch function (handler {@code InventoryBatchHandler}); only with inventory mode on ({@link ScaleSettings#isInventoryMode()}).
     *
     * @return the value
     * @default - the jar embedded in this library ({@link RuntimeAssets#inventoryReaderCode()}) when inventory mode is on
     */
    default Code getInventoryReaderCode() { return null; }

    /**
     * SNS topic that every alarm of the pipeline notifies, as its alarm action and its OK action ({@link ScannerPipeline#getAlarms()}).
     *
     * @return the value
     * @default - none: the alarms are created without actions (add yours with {@code alarm.addAlarmAction})
     */
    default ITopic getAlarmTopic() { return null; }

    /**
     * EventBridge bus the workers publish each finding to (masked value and redacted context only, never the raw value): workers get {@code SCANNER_FINDINGS_EVENT_BUS} = the bus ARN and {@code events:PutEvents} on it.
     *
     * @return the value
     * @default - none: findings are not published
     */
    default IEventBus getFindingsEventBus() { return null; }

    /**
     * CloudWatch namespace of the custom metrics: the workers' {@code SCANNER_METRICS_NAMESPACE} and the functions' {@code POWERTOOLS_METRICS_NAMESPACE}; the workers may put metrics only in it. Rules: {@link ScannerMetrics#checkNamespace(String)}.
     *
     * @return the value
     * @default {@value ScannerMetrics#DEFAULT_NAMESPACE}
     */
    default String getMetricsNamespace() { return null; }

    /** @return a new builder */
    static Builder builder() { return new Builder(); }

    /** Builder for {@link ScannerPipelineProps}. */
    final class Builder {
        private List<IBucket> targetBuckets;
        private ScaleSettings settings;
        private IVpc vpc;
        private Code listerCode;
        private Code refresherCode;
        private ContainerImage workerImage;
        private Duration processingBudget;
        private Integer maxReceiveCount;
        private IKey queueEncryptionKey;
        private Integer listPagesPerInvocation;
        private Integer handoffIterations;
        private Integer backlogPerTaskTarget;
        private Long maxObjectBytes;
        private IHttpRouteAuthorizer apiAuthorizer;
        private IBucket inventoryReportsBucket;
        private String inventoryReportsPrefix;
        private RemovalPolicy databaseRemovalPolicy;
        private Boolean databaseDeletionProtection;
        private Code inventoryReaderCode;
        private ITopic alarmTopic;
        private IEventBus findingsEventBus;
        private String metricsNamespace;

        private Builder() { }

        /**

         * @param v see {@link ScannerPipelineProps#getTargetBuckets()}

         * @return this builder

         */
        public Builder targetBuckets(List<IBucket> v) { targetBuckets = v == null ? null : List.copyOf(v); return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getSettings()}
         * @return this builder
         */
        public Builder settings(ScaleSettings v) { settings = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getVpc()}
         * @return this builder
         */
        public Builder vpc(IVpc v) { vpc = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getListerCode()}
         * @return this builder
         */
        public Builder listerCode(Code v) { listerCode = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getRefresherCode()}
         * @return this builder
         */
        public Builder refresherCode(Code v) { refresherCode = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getWorkerImage()}
         * @return this builder
         */
        public Builder workerImage(ContainerImage v) { workerImage = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getProcessingBudget()}
         * @return this builder
         */
        public Builder processingBudget(Duration v) { processingBudget = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getMaxReceiveCount()}
         * @return this builder
         */
        public Builder maxReceiveCount(Integer v) { maxReceiveCount = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getQueueEncryptionKey()}
         * @return this builder
         */
        public Builder queueEncryptionKey(IKey v) { queueEncryptionKey = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getListPagesPerInvocation()}
         * @return this builder
         */
        public Builder listPagesPerInvocation(Integer v) { listPagesPerInvocation = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getHandoffIterations()}
         * @return this builder
         */
        public Builder handoffIterations(Integer v) { handoffIterations = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getBacklogPerTaskTarget()}
         * @return this builder
         */
        public Builder backlogPerTaskTarget(Integer v) { backlogPerTaskTarget = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getMaxObjectBytes()}
         * @return this builder
         */
        public Builder maxObjectBytes(Long v) { maxObjectBytes = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getApiAuthorizer()}
         * @return this builder
         */
        public Builder apiAuthorizer(IHttpRouteAuthorizer v) { apiAuthorizer = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getInventoryReportsBucket()}
         * @return this builder
         */
        public Builder inventoryReportsBucket(IBucket v) { inventoryReportsBucket = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getInventoryReportsPrefix()}
         * @return this builder
         */
        public Builder inventoryReportsPrefix(String v) { inventoryReportsPrefix = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getDatabaseRemovalPolicy()}
         * @return this builder
         */
        public Builder databaseRemovalPolicy(RemovalPolicy v) { databaseRemovalPolicy = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getDatabaseDeletionProtection()}
         * @return this builder
         */
        public Builder databaseDeletionProtection(Boolean v) { databaseDeletionProtection = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getInventoryReaderCode()}
         * @return this builder
         */
        public Builder inventoryReaderCode(Code v) { inventoryReaderCode = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getAlarmTopic()}
         * @return this builder
         */
        public Builder alarmTopic(ITopic v) { alarmTopic = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getFindingsEventBus()}
         * @return this builder
         */
        public Builder findingsEventBus(IEventBus v) { findingsEventBus = v; return this; }
        /**
         * @param v see {@link ScannerPipelineProps#getMetricsNamespace()}
         * @return this builder
         */
        public Builder metricsNamespace(String v) { metricsNamespace = v; return this; }

        /** @return the immutable props */
        public ScannerPipelineProps build() {
            final List<IBucket> targetBucketsV = targetBuckets;
            final ScaleSettings settingsV = settings;
            final IVpc vpcV = vpc;
            final Code listerCodeV = listerCode;
            final Code refresherCodeV = refresherCode;
            final ContainerImage workerImageV = workerImage;
            final Duration processingBudgetV = processingBudget;
            final Integer maxReceiveCountV = maxReceiveCount;
            final IKey queueEncryptionKeyV = queueEncryptionKey;
            final Integer listPagesPerInvocationV = listPagesPerInvocation;
            final Integer handoffIterationsV = handoffIterations;
            final Integer backlogPerTaskTargetV = backlogPerTaskTarget;
            final Long maxObjectBytesV = maxObjectBytes;
            final IHttpRouteAuthorizer apiAuthorizerV = apiAuthorizer;
            final IBucket inventoryReportsBucketV = inventoryReportsBucket;
            final String inventoryReportsPrefixV = inventoryReportsPrefix;
            final RemovalPolicy databaseRemovalPolicyV = databaseRemovalPolicy;
            final Boolean databaseDeletionProtectionV = databaseDeletionProtection;
            final Code inventoryReaderCodeV = inventoryReaderCode;
            final ITopic alarmTopicV = alarmTopic;
            final IEventBus findingsEventBusV = findingsEventBus;
            final String metricsNamespaceV = metricsNamespace;
            return new ScannerPipelineProps() {
                @Override public List<IBucket> getTargetBuckets() { return targetBucketsV; }
                @Override public ScaleSettings getSettings() { return settingsV; }
                @Override public IVpc getVpc() { return vpcV; }
                @Override public Code getListerCode() { return listerCodeV; }
                @Override public Code getRefresherCode() { return refresherCodeV; }
                @Override public ContainerImage getWorkerImage() { return workerImageV; }
                @Override public Duration getProcessingBudget() { return processingBudgetV; }
                @Override public Integer getMaxReceiveCount() { return maxReceiveCountV; }
                @Override public IKey getQueueEncryptionKey() { return queueEncryptionKeyV; }
                @Override public Integer getListPagesPerInvocation() { return listPagesPerInvocationV; }
                @Override public Integer getHandoffIterations() { return handoffIterationsV; }
                @Override public Integer getBacklogPerTaskTarget() { return backlogPerTaskTargetV; }
                @Override public Long getMaxObjectBytes() { return maxObjectBytesV; }
                @Override public IHttpRouteAuthorizer getApiAuthorizer() { return apiAuthorizerV; }
                @Override public IBucket getInventoryReportsBucket() { return inventoryReportsBucketV; }
                @Override public String getInventoryReportsPrefix() { return inventoryReportsPrefixV; }
                @Override public RemovalPolicy getDatabaseRemovalPolicy() { return databaseRemovalPolicyV; }
                @Override public Boolean getDatabaseDeletionProtection() { return databaseDeletionProtectionV; }
                @Override public Code getInventoryReaderCode() { return inventoryReaderCodeV; }
                @Override public ITopic getAlarmTopic() { return alarmTopicV; }
                @Override public IEventBus getFindingsEventBus() { return findingsEventBusV; }
                @Override public String getMetricsNamespace() { return metricsNamespaceV; }
            };
        }
    }
}
