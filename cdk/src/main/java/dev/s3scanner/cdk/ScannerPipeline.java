package dev.s3scanner.cdk;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.UniqueResourceNameOptions;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidgetView;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.ChoiceProps;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.Chain;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.tasks.CallAwsService;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The whole S3 Scanner deployment (DESIGN.md "Data flow"): the HTTP API and its function, the
 * listing state machine, the ECS Fargate workers scaled on backlog per task, the
 * {@link FairQueue}, the {@link ProgressDatabase}, optional {@link InventoryMode}, a
 * CloudWatch dashboard and alarms. It reads only the target buckets it is given. A function on the
 * dead-letter queue fails the objects of scan tasks that exhausted their receives, so every job
 * still reaches a terminal state.
 *
 * <p><b>Listing.</b> With inventory mode on, {@code Source?} routes on the execution input's
 * {@code source}: {@code "inventory"} → the same loop with {@code StartInventory},
 * {@code InventoryBatch} (the inventory reader), {@code InventoryListed?} and
 * {@code InventoryHandOff}; anything else, or no {@code source} → the list loop below. Each
 * hand-off passes its {@code source} on. The list loop: {@code Start} (keeps only the list-batch fields) → {@code ListBatch} (Lambda;
 * result reduced to {@code {job_id, token, pages, listed, iteration, done}} so the 256 KiB state
 * limit can never be reached, cases/04) → {@code Listed?}: done → {@code Listed}; iteration at
 * the hand-off bound → {@code HandOff} ({@code states:StartExecution} of this same state machine
 * with {@code iteration: 0}, execution name {@code <job_id>-<pages>} so a retried hand-off never
 * starts two, then {@code HandedOff}); otherwise back to {@code ListBatch}. No execution comes
 * near 25,000 history events (cases/05). Any error → {@code ListFailure} (marks the job failed)
 * → {@code ListingFailed}.
 *
 * <p><b>Workers.</b> One Fargate service; desired count between the settings' min and max
 * workers, driven by step scaling on visible messages per running task (metric math over the
 * queue's {@code ApproximateNumberOfMessagesVisible} and Container Insights'
 * {@code RunningTaskCount}). Workers hold ECS task scale-in protection (agent endpoint, which
 * calls {@code ecs:UpdateTaskProtection} with the task role) while they have messages, so
 * scaling in never kills in-flight work. They put their metrics in {@code SCANNER_METRICS_NAMESPACE}
 * ({@code cloudwatch:PutMetricData} limited to it) and, with a findings event bus, publish each
 * masked finding to it.
 *
 * <p><b>Observability.</b> {@code metricXxx} methods return the custom metrics
 * ({@link ScannerMetrics}); the dashboard graphs them beside the queue, listing, database and API
 * metrics; {@link #getAlarms()} lists the alarms, which notify the optional alarm topic.
 */
public class ScannerPipeline extends Construct {

    /** Default handoff bound: about 7,000 history events per execution. */
    public static final int DEFAULT_HANDOFF_ITERATIONS = 1000;
    /** Largest handoff bound accepted: about 17,500 events, leaving room for retries. */
    public static final int MAX_HANDOFF_ITERATIONS = 2500;

    private final ScaleSettings settings;
    private final IVpc vpc;
    private final Cluster cluster;
    private final FairQueue queue;
    private final ProgressDatabase database;
    private final InventoryMode inventoryMode;
    private final Function apiFunction;
    private final Alias apiAlias;
    private final HttpApi api;
    private final HttpStage apiStage;
    private final Function listBatchFunction;
    private final Function listFailureFunction;
    private final Function deadLetterFunction;
    private final Function inventoryBatchFunction;
    private final String metricsNamespace;
    private final List<Alarm> alarms = new ArrayList<>();
    private final StateMachine stateMachine;
    private final String stateMachineName;
    private final int handoffIterations;
    private final FargateTaskDefinition taskDefinition;
    private final ContainerDefinition workerContainer;
    private final FargateService workerService;
    private final ScalableTaskCount scaling;
    private final MathExpression backlogPerTask;
    private final Dashboard dashboard;
    private final List<IBucket> targetBuckets = new ArrayList<>();

    /**
     * @param scope parent
     * @param id construct id
     * @param props settings, may be {@code null} (then add target buckets with {@link #addTargetBucket})
     * @throws IllegalArgumentException when props conflict or are out of range; the message names them
     */
    public ScannerPipeline(Construct scope, String id, ScannerPipelineProps props) {
        super(scope, id);
        ScannerPipelineProps p = props == null ? ScannerPipelineProps.builder().build() : props;
        this.settings = p.getSettings() != null ? p.getSettings() : ScaleTier.SMALL.settings();
        validate(p, settings);
        this.handoffIterations = p.getHandoffIterations() != null ? p.getHandoffIterations() : DEFAULT_HANDOFF_ITERATIONS;
        int pagesPerInvocation = p.getListPagesPerInvocation() != null ? p.getListPagesPerInvocation() : 10;
        int backlogTarget = p.getBacklogPerTaskTarget() != null ? p.getBacklogPerTaskTarget() : 10;
        this.metricsNamespace = ScannerMetrics.checkNamespace(p.getMetricsNamespace());
        Map<String, String> listerMetricsEnv = ScannerMetrics.powertoolsEnvironment(ScannerMetrics.LISTER_SERVICE, metricsNamespace);

        this.vpc = p.getVpc() != null ? p.getVpc() : defaultVpc();
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

        this.queue = new FairQueue(this, "Queue", FairQueueProps.builder()
                .processingBudget(p.getProcessingBudget())
                .maxReceiveCount(p.getMaxReceiveCount())
                .encryptionKey(p.getQueueEncryptionKey())
                .oldestMessageAgeAlarmThreshold(Duration.minutes(settings.getOldestScanTaskAlarmMinutes()))
                .quietGroupAgeAlarmThreshold(Duration.minutes(settings.getQuietTenantAlarmMinutes()))
                .build());

        this.database = new ProgressDatabase(this, "Database", ProgressDatabaseProps.builder()
                .vpc(vpc)
                .functionSubnets(privateSubnets)
                .instanceType(new InstanceType(settings.getDatabaseInstanceType()))
                .multiAz(settings.isMultiAz())
                .allocatedStorageGiB(settings.getAllocatedStorageGiB())
                .partitionedJobObjects(settings.isPartitionedJobObjects())
                .refresherCode(p.getRefresherCode())
                .removalPolicy(p.getDatabaseRemovalPolicy())
                .deletionProtection(p.getDatabaseDeletionProtection())
                .metricsNamespace(metricsNamespace)
                .build());

        this.inventoryMode = settings.isInventoryMode()
                ? new InventoryMode(this, "Inventory", InventoryModeProps.builder()
                        .reportsBucket(p.getInventoryReportsBucket())
                        .reportsPrefix(p.getInventoryReportsPrefix())
                        .build())
                : null;

        Code listerCode = p.getListerCode() != null ? p.getListerCode() : RuntimeAssets.listerCode();

        // ---- listing state machine -------------------------------------------------------
        Map<String, String> listEnv = JavaFunctions.sorted(database.environment(), queue.environment(), listerMetricsEnv,
                Map.of("SCANNER_LIST_PAGES_PER_INVOCATION", Integer.toString(pagesPerInvocation)));
        this.listBatchFunction = JavaFunctions.builder(this, "ListBatchFunction", listerCode,
                        "dev.s3scanner.lister.ListBatchHandler::handleRequest", vpc, privateSubnets, listEnv,
                        "Lists one batch of a job's objects, records them and enqueues scan tasks (Step Functions task)")
                .memorySize(1024)
                .timeout(Duration.minutes(5))
                .build();
        this.listFailureFunction = JavaFunctions.builder(this, "ListFailureFunction", listerCode,
                        "dev.s3scanner.lister.ListFailureHandler::handleRequest", vpc, privateSubnets,
                        JavaFunctions.sorted(database.environment(), listerMetricsEnv),
                        "Marks a job failed when its listing fails (Step Functions Catch)")
                .memorySize(512)
                .timeout(Duration.seconds(30))
                .build();
        this.deadLetterFunction = JavaFunctions.builder(this, "DeadLetterFunction", listerCode,
                        "dev.s3scanner.lister.DeadLetterHandler::handleRequest", vpc, privateSubnets,
                        JavaFunctions.sorted(database.environment(), listerMetricsEnv),
                        "Fails the objects of dead-lettered scan tasks (SQS event source on the DLQ)")
                .memorySize(512)
                .timeout(Duration.seconds(30))
                .build();
        deadLetterFunction.addEventSource(SqsEventSource.Builder.create(queue.getDeadLetterQueue())
                .batchSize(10)
                .reportBatchItemFailures(true)
                .build());
        queue.grantSend(listBatchFunction);
        if (inventoryMode != null) {
            // jobs with source = inventory read the S3 Inventory report instead of calling ListObjectsV2
            Code inventoryCode = p.getInventoryReaderCode() != null ? p.getInventoryReaderCode()
                    : RuntimeAssets.inventoryReaderCode();
            this.inventoryBatchFunction = JavaFunctions.builder(this, "InventoryBatchFunction", inventoryCode,
                            "dev.s3scanner.inventory.InventoryBatchHandler::handleRequest", vpc, privateSubnets,
                            JavaFunctions.sorted(database.environment(), queue.environment(), inventoryMode.environment(),
                                    listerMetricsEnv),
                            "Reads one batch of a job's S3 Inventory report, records the objects and enqueues scan tasks"
                                    + " (Step Functions task for source = inventory)")
                    .memorySize(2048)
                    .timeout(Duration.minutes(10))
                    .build();
            queue.grantSend(inventoryBatchFunction);
            inventoryMode.grantRead(inventoryBatchFunction);
        } else {
            this.inventoryBatchFunction = null;
        }

        this.stateMachineName = Names.uniqueResourceName(this, UniqueResourceNameOptions.builder()
                .maxLength(80).separator("-").build()) + "-listing";
        String stateMachineArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("states")
                .resource("stateMachine")
                .resourceName(stateMachineName)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        this.stateMachine = buildStateMachine(stateMachineArn);

        // ---- API ---------------------------------------------------------------------------
        Map<String, String> apiEnv = JavaFunctions.sorted(database.environment(), listerMetricsEnv);
        apiEnv.put("SCANNER_STATE_MACHINE_ARN", stateMachineArn);
        apiEnv.put("SCANNER_ALLOWED_BUCKETS", Lazy.uncachedString(new software.amazon.awscdk.IStringProducer() {
            @Override
            public String produce(software.amazon.awscdk.IResolveContext ctx) {
                return targetBuckets.stream().map(IBucket::getBucketName).collect(Collectors.joining(","));
            }
        }));
        if (inventoryMode != null) {
            apiEnv.putAll(inventoryMode.environment());
        }
        this.apiFunction = JavaFunctions.builder(this, "ApiFunction", listerCode,
                        "dev.s3scanner.lister.ApiHandler::handleRequest", vpc, privateSubnets, apiEnv,
                        "S3 Scanner HTTP API (payload format 2.0)")
                .memorySize(1024)
                .timeout(Duration.seconds(25))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
        this.apiAlias = Alias.Builder.create(this, "ApiFunctionLive")
                .aliasName("live")
                .version(apiFunction.getCurrentVersion())
                .build();
        stateMachine.grantStartExecution(apiFunction);
        // the API integration invokes the "live" alias of a published version, which SnapStart needs
        Annotations.of(apiFunction).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The API invokes alias live, which points at the published currentVersion");

        IHttpRouteAuthorizer authorizer = p.getApiAuthorizer() != null ? p.getApiAuthorizer() : new HttpIamAuthorizer();
        this.api = HttpApi.Builder.create(this, "Api")
                .description("S3 Scanner API: POST /scan, GET|DELETE /jobs/{job_id}, GET /results, GET /openapi.json")
                .createDefaultStage(false)
                .defaultAuthorizer(authorizer)
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs").retention(RetentionDays.THREE_MONTHS).build();
        this.apiStage = HttpStage.Builder.create(this, "ApiStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(50).burstLimit(100).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override public software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }
                    @Override public AccessLogFormat getFormat() {
                        return AccessLogFormat.jsonWithStandardFields();
                    }
                })
                .build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("ApiIntegration", apiAlias,
                HttpLambdaIntegrationProps.builder().payloadFormatVersion(PayloadFormatVersion.VERSION_2_0).build());
        route("/scan", HttpMethod.POST, integration);
        route("/jobs/{job_id}", HttpMethod.GET, integration);
        route("/jobs/{job_id}", HttpMethod.DELETE, integration);
        route("/results", HttpMethod.GET, integration);
        route("/openapi.json", HttpMethod.GET, integration);

        // ---- workers -----------------------------------------------------------------------
        this.cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
        this.taskDefinition = FargateTaskDefinition.Builder.create(this, "WorkerTask")
                .cpu(settings.getWorkerCpu())
                .memoryLimitMiB(settings.getWorkerMemoryMiB())
                .runtimePlatform(RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .build())
                .build();
        Map<String, String> workerEnv = JavaFunctions.sorted(database.environment(), queue.environment());
        workerEnv.put("SCANNER_WORKER_VCPU", new BigDecimal(settings.getWorkerCpu())
                .divide(BigDecimal.valueOf(1024)).stripTrailingZeros().toPlainString());
        workerEnv.put("SCANNER_WORKER_MEMORY_MIB", Integer.toString(settings.getWorkerMemoryMiB()));
        // the worker extends visibility against the queue's own timeout (cases/13)
        workerEnv.put("SCANNER_VISIBILITY_TIMEOUT_SECONDS",
                Long.toString(queue.getVisibilityTimeout().toSeconds().longValue()));
        if (p.getMaxObjectBytes() != null) {
            workerEnv.put("SCANNER_MAX_OBJECT_BYTES", Long.toString(p.getMaxObjectBytes()));
        }
        workerEnv.put("SCANNER_METRICS_NAMESPACE", metricsNamespace);
        if (p.getFindingsEventBus() != null) {
            workerEnv.put("SCANNER_FINDINGS_EVENT_BUS", p.getFindingsEventBus().getEventBusArn());
        }
        LogGroup workerLogs = LogGroup.Builder.create(this, "WorkerLogs").retention(RetentionDays.THREE_MONTHS).build();
        this.workerContainer = taskDefinition.addContainer("Worker", ContainerDefinitionOptions.builder()
                .image(p.getWorkerImage() != null ? p.getWorkerImage() : RuntimeAssets.workerImage())
                .environment(workerEnv)
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().streamPrefix("worker").logGroup(workerLogs).build()))
                .stopTimeout(Duration.seconds(120))
                .build());
        this.workerService = FargateService.Builder.create(this, "WorkerService")
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .vpcSubnets(privateSubnets)
                .assignPublicIp(false)
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .build();
        queue.grantConsume(taskDefinition.getTaskRole());
        taskDefinition.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("TaskScaleInProtection")
                .actions(List.of("ecs:GetTaskProtection", "ecs:UpdateTaskProtection"))
                .resources(List.of(Stack.of(this).formatArn(ArnComponents.builder()
                        .service("ecs")
                        .resource("task")
                        .resourceName(cluster.getClusterName() + "/*")
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .build())))
                .build());
        // PutMetricData accepts only resource *; the condition keeps the workers to their own namespace
        taskDefinition.getTaskRole().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("PutScannerMetrics")
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", metricsNamespace)))
                .build());
        if (p.getFindingsEventBus() != null) {
            p.getFindingsEventBus().grantPutEventsTo(taskDefinition.getTaskRole());
        }

        List<IGrantable> clients = new ArrayList<>(List.of(apiFunction, listBatchFunction, listFailureFunction,
                deadLetterFunction, taskDefinition.getTaskRole()));
        if (inventoryBatchFunction != null) {
            clients.add(inventoryBatchFunction);
        }
        for (IGrantable client : clients) {
            database.grantConnect(client);
        }
        database.getConnections().allowDefaultPortFrom(apiFunction, "API function");
        database.getConnections().allowDefaultPortFrom(listBatchFunction, "List-batch function");
        database.getConnections().allowDefaultPortFrom(listFailureFunction, "List-failure function");
        database.getConnections().allowDefaultPortFrom(deadLetterFunction, "Dead-letter function");
        if (inventoryBatchFunction != null) {
            database.getConnections().allowDefaultPortFrom(inventoryBatchFunction, "Inventory-batch function");
        }
        database.getConnections().allowDefaultPortFrom(workerService, "Workers");

        Metric visible = queue.metricApproximateNumberOfMessagesVisible(null);
        Metric running = Metric.Builder.create()
                .namespace("ECS/ContainerInsights")
                .metricName("RunningTaskCount")
                .dimensionsMap(new TreeMap<>(Map.of("ClusterName", cluster.getClusterName(),
                        "ServiceName", workerService.getServiceName())))
                .statistic("Average")
                .period(Duration.minutes(1))
                .build();
        Map<String, IMetric> using = new TreeMap<>();
        using.put("visible", visible);
        using.put("running", running);
        this.backlogPerTask = MathExpression.Builder.create()
                .expression("IF(FILL(running, 0) > 0, visible / FILL(running, 0), visible)")
                .usingMetrics(using)
                .label("Visible scan tasks per running worker")
                .period(Duration.minutes(1))
                .build();
        this.scaling = workerService.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(settings.getMinWorkers())
                .maxCapacity(settings.getMaxWorkers())
                .build());
        int burst = Math.max(1, (int) Math.ceil(settings.getMaxWorkers() / 5.0));
        scaling.scaleOnMetric("ScaleOnBacklogPerTask", BasicStepScalingPolicyProps.builder()
                .metric(backlogPerTask)
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(0).change(-settings.getMaxWorkers()).build(),
                        ScalingInterval.builder().lower(1).change(1).build(),
                        ScalingInterval.builder().lower(backlogTarget).change(burst).build()))
                .cooldown(Duration.minutes(1))
                .evaluationPeriods(1)
                .build());

        for (IBucket b : p.getTargetBuckets() == null ? List.<IBucket>of() : p.getTargetBuckets()) {
            addTargetBucket(b);
        }
        getNode().addValidation(() -> targetBuckets.isEmpty()
                ? List.of("targetBuckets must name at least one bucket (pass targetBuckets or call addTargetBucket)")
                : List.of());

        alarms.add(queue.getDeadLetterQueueAlarm());
        alarms.add(queue.getOldestMessageAgeAlarm());
        alarms.add(queue.getQuietGroupAgeAlarm());
        alarms.add(database.getRefreshFailureAlarm());
        if (p.getAlarmTopic() != null) {
            SnsAction notify = new SnsAction(p.getAlarmTopic());
            for (Alarm a : alarms) {
                a.addAlarmAction(notify);
                a.addOkAction(notify);
            }
        }

        this.dashboard = buildDashboard();
        suppressFindings();
    }

    private void route(String path, HttpMethod method, HttpLambdaIntegration integration) {
        api.addRoutes(AddRoutesOptions.builder().path(path).methods(List.of(method)).integration(integration).build());
    }

    private static void validate(ScannerPipelineProps p, ScaleSettings settings) {
        List<String> problems = new ArrayList<>();
        if (!settings.isInventoryMode()) {
            List<String> set = new ArrayList<>();
            if (p.getInventoryReportsBucket() != null) {
                set.add("inventoryReportsBucket");
            }
            if (p.getInventoryReportsPrefix() != null) {
                set.add("inventoryReportsPrefix");
            }
            if (p.getInventoryReaderCode() != null) {
                set.add("inventoryReaderCode");
            }
            if (!set.isEmpty()) {
                problems.add(String.join(", ", set) + " can be set only when settings.inventoryMode is true (tier "
                        + settings.getTier().id() + " has it off; use tier enterprise or inventoryMode(true))");
            }
        }
        if (p.getHandoffIterations() != null
                && (p.getHandoffIterations() < 1 || p.getHandoffIterations() > MAX_HANDOFF_ITERATIONS)) {
            problems.add("handoffIterations must be between 1 and " + MAX_HANDOFF_ITERATIONS
                    + " (about 7 history events each, under the 25,000-event limit), got " + p.getHandoffIterations());
        }
        if (p.getListPagesPerInvocation() != null
                && (p.getListPagesPerInvocation() < 1 || p.getListPagesPerInvocation() > 100)) {
            problems.add("listPagesPerInvocation must be between 1 and 100, got " + p.getListPagesPerInvocation());
        }
        if (p.getBacklogPerTaskTarget() != null && p.getBacklogPerTaskTarget() < 2) {
            problems.add("backlogPerTaskTarget must be 2 or more, got " + p.getBacklogPerTaskTarget());
        }
        if (p.getMaxObjectBytes() != null && p.getMaxObjectBytes() < 1) {
            problems.add("maxObjectBytes must be 1 or more, got " + p.getMaxObjectBytes());
        }
        try {
            ScannerMetrics.checkNamespace(p.getMetricsNamespace());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private IVpc defaultVpc() {
        Vpc v = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("Public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("Private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build(),
                        SubnetConfiguration.builder().name("Database").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .build();
        v.addGatewayEndpoint("S3Endpoint", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());
        v.addFlowLog("FlowLogs", FlowLogOptions.builder().build());
        return v;
    }

    /** The list-batch state: the only fields that pass between the loop's states (DEVELOPERS.md). */
    private static final List<String> BATCH_FIELDS = List.of("job_id", "token", "pages", "listed", "iteration", "done");

    private StateMachine buildStateMachine(String ownArn) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : BATCH_FIELDS) {
            fields.put(f + ".$", "$." + f);
        }

        Map<String, Object> failurePayload = new LinkedHashMap<>();
        failurePayload.put("job_id.$", "$.job_id");
        failurePayload.put("error.$", "$.error");
        LambdaInvoke listFailure = LambdaInvoke.Builder.create(this, "ListFailure")
                .comment("Mark the job failed so it never stays in listing")
                .lambdaFunction(listFailureFunction)
                .payload(TaskInput.fromObject(failurePayload))
                .resultPath(JsonPath.DISCARD)
                .retryOnServiceExceptions(true)
                .build();
        Fail failed = Fail.Builder.create(this, "ListingFailed").error("ListingFailed")
                .cause("Listing failed; the job is marked failed").build();
        listFailure.next(failed);
        CatchProps toFailure = CatchProps.builder().errors(List.of("States.ALL")).resultPath("$.error").build();
        Succeed listedState = new Succeed(this, "Listed");
        Succeed handedOff = new Succeed(this, "HandedOff");

        Chain listLoop = batchLoop("", "list", listBatchFunction,
                "List up to SCANNER_LIST_PAGES_PER_INVOCATION pages; the result is constant-size",
                List.of(), fields, ownArn, listFailure, toFailure, listedState, handedOff);
        IChainable first = listLoop;
        if (inventoryBatchFunction != null) {
            // a report that cannot be used fails the job and throws InventoryException: retrying cannot help
            Chain inventoryLoop = batchLoop("Inventory", "inventory", inventoryBatchFunction,
                    "Read up to SCANNER_INVENTORY_PAGES_PER_INVOCATION pages of the job's S3 Inventory report;"
                            + " the result is constant-size",
                    List.of(INVENTORY_EXCEPTION), fields, ownArn, listFailure, toFailure, listedState, handedOff);
            // ordered rules: a missing source is never compared (executions handed off by an older definition)
            first = new Choice(this, "Source?", ChoiceProps.builder()
                    .comment("Route on the job's source: inventory jobs read the S3 Inventory report, the rest call"
                            + " ListObjectsV2")
                    .build())
                    .when(Condition.isNotPresent("$.source"), listLoop)
                    .when(Condition.stringEquals("$.source", "inventory"), inventoryLoop)
                    .otherwise(listLoop);
        }

        LogGroup logs = LogGroup.Builder.create(this, "ListingLogs").retention(RetentionDays.THREE_MONTHS).build();
        return StateMachine.Builder.create(this, "Listing")
                .stateMachineName(stateMachineName)
                .comment("Lists a job's objects batch by batch; hands off to a fresh execution every "
                        + handoffIterations + " batches")
                .definitionBody(DefinitionBody.fromChainable(first))
                .tracingEnabled(true)
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(false).build())
                .build();
    }

    /** Error name of the inventory reader's permanent failure (Lambda reports a Java exception by its class name). */
    static final String INVENTORY_EXCEPTION = "dev.s3scanner.inventory.InventoryException";

    /**
     * One source's loop: {@code Start<p>} (keeps only the list-batch fields) → {@code <task>} →
     * {@code <p>Listed?}: done → {@code Listed}; iteration at the bound → {@code <p>HandOff}
     * (fresh execution with the same {@code source}); otherwise back to the task.
     */
    private Chain batchLoop(String prefix, String source, Function fn, String comment, List<String> permanentErrors,
                            Map<String, Object> fields, String ownArn, LambdaInvoke listFailure, CatchProps toFailure,
                            Succeed listedState, Succeed handedOff) {
        Map<String, Object> start = new LinkedHashMap<>(fields);
        start.remove("done.$");
        start.put("done", false);
        Pass startState = Pass.Builder.create(this, "Start" + prefix)
                .comment("Keep only the list-batch state: {job_id, token, pages, listed, iteration, done}")
                .parameters(start)
                .build();

        Map<String, Object> selected = new LinkedHashMap<>();
        for (String f : BATCH_FIELDS) {
            selected.put(f + ".$", "$.Payload." + f);
        }
        String taskId = prefix.isEmpty() ? "ListBatch" : prefix + "Batch";
        LambdaInvoke batch = LambdaInvoke.Builder.create(this, taskId)
                .comment(comment)
                .lambdaFunction(fn)
                .payload(TaskInput.fromObject(fields))
                .resultSelector(selected)
                .resultPath("$")
                .retryOnServiceExceptions(true)
                .build();
        if (!permanentErrors.isEmpty()) {
            batch.addRetry(RetryProps.builder().errors(permanentErrors).maxAttempts(0).build());
        }
        batch.addRetry(RetryProps.builder()
                .errors(List.of("Lambda.TooManyRequestsException"))
                .interval(Duration.seconds(5)).maxAttempts(6).backoffRate(2).build());
        batch.addRetry(RetryProps.builder()
                .errors(List.of("States.ALL"))
                .interval(Duration.seconds(10)).maxAttempts(2).backoffRate(3).build());
        batch.addCatch(listFailure, toFailure);

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("job_id.$", "$.job_id");
        input.put("token.$", "$.token");
        input.put("pages.$", "$.pages");
        input.put("listed.$", "$.listed");
        input.put("iteration", 0);
        input.put("done", false);
        input.put("source", source);
        Map<String, Object> startExecution = new LinkedHashMap<>();
        startExecution.put("StateMachineArn.$", "$$.StateMachine.Id");
        startExecution.put("Name.$", "States.Format('{}-{}', $.job_id, $.pages)");
        startExecution.put("Input", input);
        CallAwsService handOff = CallAwsService.Builder.create(this, prefix + "HandOff")
                .comment("Continue in a fresh execution of this state machine (no 25,000-event ceiling)")
                .service("sfn")
                .action("startExecution")
                .iamAction("states:StartExecution")
                .iamResources(List.of(ownArn))
                .parameters(startExecution)
                .resultPath(JsonPath.DISCARD)
                .build();
        handOff.addRetry(RetryProps.builder()
                .errors(List.of("Sfn.SfnException", "States.Timeout"))
                .interval(Duration.seconds(2)).maxAttempts(4).backoffRate(2).build());
        // a retried hand-off whose first attempt went through: the fresh execution already runs
        handOff.addCatch(handedOff, CatchProps.builder()
                .errors(List.of("Sfn.ExecutionAlreadyExistsException")).resultPath(JsonPath.DISCARD).build());
        handOff.addCatch(listFailure, toFailure);
        handOff.next(handedOff);

        Choice listed = new Choice(this, prefix + "Listed?");
        listed.when(Condition.booleanEquals("$.done", true), listedState)
                .when(Condition.numberGreaterThanEquals("$.iteration", handoffIterations), handOff)
                .otherwise(batch);
        return Chain.start(startState).next(batch).next(listed);
    }

    private Dashboard buildDashboard() {
        Dashboard d = Dashboard.Builder.create(this, "Dashboard").build();
        d.addWidgets(
                AlarmStatusWidget.Builder.create().title("Alarms").width(24).height(3)
                        .alarms(new ArrayList<IAlarm>(alarms)).build());
        Map<String, IMetric> scanned = new TreeMap<>();
        scanned.put("objects", metricObjectsScanned(null));
        Map<String, IMetric> bytes = new TreeMap<>();
        bytes.put("bytes", metricBytesScanned(null));
        d.addWidgets(
                GraphWidget.Builder.create().title("Objects scanned per second").width(8)
                        .left(List.of(MathExpression.Builder.create()
                                .expression("FILL(objects, 0) / PERIOD(objects)").usingMetrics(scanned)
                                .label("Objects/s").period(Duration.minutes(1)).build()))
                        .right(List.of(metricScanTasksProcessed(null))).build(),
                GraphWidget.Builder.create().title("Bytes scanned (MiB/s)").width(8)
                        .left(List.of(MathExpression.Builder.create()
                                .expression("FILL(bytes, 0) / PERIOD(bytes) / 1048576").usingMetrics(bytes)
                                .label("MiB/s").period(Duration.minutes(1)).build())).build(),
                GraphWidget.Builder.create().title("Per-object scan latency (ms)").width(8)
                        .left(List.of(
                                metricObjectLatency(MetricOptions.builder().statistic("p50").label("p50").build()),
                                metricObjectLatency(MetricOptions.builder().statistic("p99").label("p99").build())))
                        .build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Findings by detector").width(12).stacked(true)
                        .left(List.of(search(ScannerMetrics.FINDINGS, ScannerMetrics.DETECTOR, "Findings"))).build(),
                GraphWidget.Builder.create().title("Failed objects by reason").width(12).stacked(true)
                        .left(List.of(search(ScannerMetrics.OBJECT_FAILURES, ScannerMetrics.REASON, "Failures")))
                        .right(List.of(metricObjectsDeadLettered(null), metricFindingsPublishFailures(null))).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Scan tasks waiting and per worker").width(12)
                        .left(List.of(queue.metricApproximateNumberOfMessagesVisible(null)))
                        .right(List.of(backlogPerTask)).build(),
                GraphWidget.Builder.create().title("Oldest scan task (s)").width(12)
                        .left(List.of(queue.metricApproximateAgeOfOldestMessage(null),
                                queue.metricApproximateAgeOfOldestMessageInQuietGroups(null))).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Fair queue: noisy tenants and quiet backlog").width(12)
                        .left(List.of(queue.metricApproximateNumberOfNoisyGroups(null)))
                        .right(List.of(queue.metricApproximateNumberOfMessagesVisibleInQuietGroups(null))).build(),
                GraphWidget.Builder.create().title("Dead-letter queue").width(12)
                        .left(List.of(queue.metricDeadLetterQueueDepth(null))).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Listing: objects and pages listed").width(12)
                        .left(List.of(metricObjectsListed(null)))
                        .right(List.of(metricPagesListed(null))).build(),
                GraphWidget.Builder.create().title("Listing executions").width(12)
                        .left(List.of(stateMachine.metricStarted(), stateMachine.metricSucceeded(),
                                stateMachine.metricFailed())).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("Database: CPU %, connections, pinned proxy sessions").width(12)
                        .left(List.of(database.metricCpuUtilization(null)))
                        .right(List.of(database.metricDatabaseConnections(null), database.metricSessionsPinned(null))).build(),
                GraphWidget.Builder.create().title("Progress refresh: duration (ms) and failures").width(12)
                        .left(List.of(metricRefreshDuration(null)))
                        .right(List.of(metricRefreshFailures(null),
                                database.getRefreshFunction().metricErrors(FairQueue.defaults(null, "Sum")))).build());
        d.addWidgets(
                GraphWidget.Builder.create().title("API errors").width(12)
                        .left(List.of(api.metricClientError(), api.metricServerError())).build(),
                GraphWidget.Builder.create().title("API function duration (ms)").width(12)
                        .left(List.of(apiFunction.metricDuration())).build());
        return d;
    }

    /** A SEARCH over one dimension of a worker metric: one line per value (detector, reason), 1-minute sums. */
    private MathExpression search(String metricName, String dimension, String label) {
        String expression = "SEARCH('{\"" + metricsNamespace + "\"," + dimension + "} MetricName=\"" + metricName
                + "\"', 'Sum', 60)";
        return MathExpression.Builder.create()
                .expression(expression)
                .usingMetrics(Map.of())
                .label(label)
                .period(Duration.minutes(1))
                .build();
    }

    // ---- custom metrics (ScannerMetrics: names and units are the contract with the runtime) --------

    private Metric worker(String name, Map<String, String> dimensions, String statistic, String label, MetricOptions options) {
        return ScannerMetrics.metric(metricsNamespace, name, dimensions, statistic, label, options);
    }

    private Metric lister(String name, String label, MetricOptions options) {
        return ScannerMetrics.metric(metricsNamespace, name, Map.of(ScannerMetrics.SERVICE, ScannerMetrics.LISTER_SERVICE),
                "Sum", label, options);
    }

    /**
     * Worker metric: objects scanned (any outcome that read the object).
     *
     * @param options overrides, may be {@code null}
     * @return {@code ObjectsScanned}, Count (Sum, 1 minute)
     */
    public Metric metricObjectsScanned(MetricOptions options) {
        return worker(ScannerMetrics.OBJECTS_SCANNED, Map.of(), "Sum", "Objects scanned", options);
    }

    /**
     * Worker metric: bytes read and scanned.
     *
     * @param options overrides, may be {@code null}
     * @return {@code BytesScanned}, Bytes (Sum, 1 minute)
     */
    public Metric metricBytesScanned(MetricOptions options) {
        return worker(ScannerMetrics.BYTES_SCANNED, Map.of(), "Sum", "Bytes scanned", options);
    }

    /**
     * Worker metric: findings of one detector. CloudWatch does not add up dimensions, so there is
     * no total without one; the dashboard graphs every detector with a {@code SEARCH} expression.
     *
     * @param detector a built-in detector id ({@code us_ssn}, {@code credit_card},
     *                 {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code email},
     *                 {@code us_phone}: {@code dev.s3scanner.core.detect.DetectorId}) or a custom
     *                 detector's name
     * @param options  overrides, may be {@code null}
     * @return {@code Findings} with dimension {@code Detector}, Count (Sum, 1 minute)
     */
    public Metric metricFindings(String detector, MetricOptions options) {
        return worker(ScannerMetrics.FINDINGS, Map.of(ScannerMetrics.DETECTOR, detector), "Sum", "Findings: " + detector, options);
    }

    /**
     * Worker metric: time to scan one object, from receiving its task to recording its outcome.
     *
     * @param options overrides, may be {@code null} (e.g. statistic {@code p99})
     * @return {@code ObjectLatency}, Milliseconds (Average, 1 minute)
     */
    public Metric metricObjectLatency(MetricOptions options) {
        return worker(ScannerMetrics.OBJECT_LATENCY, Map.of(), "Average", "Object latency (ms)", options);
    }

    /**
     * Worker metric: objects that ended {@code failed} for one reason.
     *
     * @param reason  an object reason ({@code dev.s3scanner.core.store.ObjectReason}, e.g. {@code access_denied})
     * @param options overrides, may be {@code null}
     * @return {@code ObjectFailures} with dimension {@code Reason}, Count (Sum, 1 minute)
     */
    public Metric metricObjectFailures(String reason, MetricOptions options) {
        return worker(ScannerMetrics.OBJECT_FAILURES, Map.of(ScannerMetrics.REASON, reason), "Sum", "Failures: " + reason, options);
    }

    /**
     * Worker metric: scan-task messages processed.
     *
     * @param options overrides, may be {@code null}
     * @return {@code ScanTasksProcessed}, Count (Sum, 1 minute)
     */
    public Metric metricScanTasksProcessed(MetricOptions options) {
        return worker(ScannerMetrics.SCAN_TASKS_PROCESSED, Map.of(), "Sum", "Scan tasks processed", options);
    }

    /**
     * Worker metric: findings that could not be published to the findings event bus (only with
     * {@link ScannerPipelineProps#getFindingsEventBus()}).
     *
     * @param options overrides, may be {@code null}
     * @return {@code FindingsPublishFailures}, Count (Sum, 1 minute)
     */
    public Metric metricFindingsPublishFailures(MetricOptions options) {
        return worker(ScannerMetrics.FINDINGS_PUBLISH_FAILURES, Map.of(), "Sum", "Findings not published", options);
    }

    /**
     * Lister metric (Powertools EMF, dimension {@code Service} = {@value ScannerMetrics#LISTER_SERVICE}).
     *
     * @param options overrides, may be {@code null}
     * @return {@code ObjectsListed}, Count (Sum, 1 minute)
     */
    public Metric metricObjectsListed(MetricOptions options) {
        return lister(ScannerMetrics.OBJECTS_LISTED, "Objects listed", options);
    }

    /**
     * Lister metric (Powertools EMF, dimension {@code Service} = {@value ScannerMetrics#LISTER_SERVICE}).
     *
     * @param options overrides, may be {@code null}
     * @return {@code PagesListed}, Count (Sum, 1 minute)
     */
    public Metric metricPagesListed(MetricOptions options) {
        return lister(ScannerMetrics.PAGES_LISTED, "Pages listed", options);
    }

    /**
     * Dead-letter function metric (Powertools EMF, dimension {@code Service} = {@value ScannerMetrics#LISTER_SERVICE}):
     * objects failed because their scan task exhausted its receives.
     *
     * @param options overrides, may be {@code null}
     * @return {@code ObjectsDeadLettered}, Count (Sum, 1 minute)
     */
    public Metric metricObjectsDeadLettered(MetricOptions options) {
        return lister(ScannerMetrics.OBJECTS_DEAD_LETTERED, "Objects dead-lettered", options);
    }

    /**
     * Refresher metric, see {@link ProgressDatabase#metricRefreshDuration}.
     *
     * @param options overrides, may be {@code null}
     * @return {@code RefreshDuration}, Milliseconds (Maximum, 1 minute)
     */
    public Metric metricRefreshDuration(MetricOptions options) {
        return database.metricRefreshDuration(options);
    }

    /**
     * Refresher metric, see {@link ProgressDatabase#metricRefreshFailures}.
     *
     * @param options overrides, may be {@code null}
     * @return {@code RefreshFailures}, Count (Sum, 1 minute)
     */
    public Metric metricRefreshFailures(MetricOptions options) {
        return database.metricRefreshFailures(options);
    }

    private void suppressFindings() {
        for (Function fn : List.of(apiFunction, listBatchFunction, listFailureFunction, deadLetterFunction)) {
            Nag.lambdaManagedPolicies(fn.getRole());
        }
        if (inventoryBatchFunction != null) {
            Nag.lambdaManagedPolicies(inventoryBatchFunction.getRole());
            Nag.suppressMatching(inventoryBatchFunction.getRole(), "AwsSolutions-IAM5",
                    "Inventory data file keys are unknown until the manifest is read: GetObject on the reports"
                            + " bucket's objects under the reports prefix only",
                    "^Resource::(<[^>]*InventoryReportsBucket[^>]*\\.Arn>|arn:<AWS::Partition>:s3:::[^/]+)/.*\\*$");
        }
        Nag.suppressMatching(stateMachine.getRole(), "AwsSolutions-IAM5",
                "Step Functions invokes the list functions' versions (function ARN :*) and writes X-Ray"
                        + " segments, which accept only resource *",
                "^Resource::<[^>]*(ListBatchFunction|ListFailureFunction|InventoryBatchFunction)[^>]*\\.Arn>:\\*$", "^Resource::\\*$");
        Nag.suppress(taskDefinition, "AwsSolutions-ECS2",
                "The environment holds only names and endpoints (queue URL, proxy host, secret ARN), never"
                        + " secret values: the worker reads the password from Secrets Manager itself");
        Nag.suppressMatching(taskDefinition.getTaskRole(), "AwsSolutions-IAM5",
                "Object keys are unknown until listing (objects of the target buckets only), task ids are"
                        + " assigned at run time (tasks of this cluster only, for scale-in protection), and"
                        + " cloudwatch:PutMetricData accepts only resource * (CloudWatch service authorization"
                        + " reference), limited by the cloudwatch:namespace condition to the scanner's namespace",
                "^Resource::(arn:<AWS::Partition>:s3:::[^/]+|<[^>]+\\.Arn>)/\\*$",
                "^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<[^>]*Cluster[^>]*>/\\*$",
                "^Resource::\\*$");
        if (taskDefinition.getExecutionRole() != null) {
            Nag.suppressMatching(taskDefinition.getExecutionRole(), "AwsSolutions-IAM5",
                    "ecr:GetAuthorizationToken accepts only resource * (ECR API reference)", "^Resource::\\*$");
        }
    }

    /**
     * Adds a bucket the pipeline may scan: workers get {@code s3:GetObject} and
     * {@code s3:GetObjectVersion} on its objects and {@code s3:ListBucket} on it (so a deleted
     * object reads as 404, not 403), plus {@code kms:Decrypt} on its key when the
     * {@link IBucket} carries one (cases/07); the lister gets {@code s3:ListBucket}; and the API
     * accepts it in {@code POST /scan}. Adding the same bucket name twice has no further effect.
     *
     * @param bucket e.g. {@code Bucket.fromBucketAttributes(scope, id, BucketAttributes.builder().bucketName(n).encryptionKey(key).build())}
     */
    public void addTargetBucket(IBucket bucket) {
        for (IBucket existing : targetBuckets) {
            if (existing.getBucketName().equals(bucket.getBucketName())) {
                return;
            }
        }
        targetBuckets.add(bucket);
        IGrantable worker = taskDefinition.getTaskRole();
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder().grantee(worker)
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                .resourceArns(List.of(bucket.arnForObjects("*"))).build());
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder().grantee(worker)
                .actions(List.of("s3:ListBucket"))
                .resourceArns(List.of(bucket.getBucketArn())).build());
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder().grantee(listBatchFunction)
                .actions(List.of("s3:ListBucket"))
                .resourceArns(List.of(bucket.getBucketArn())).build());
        if (bucket.getEncryptionKey() != null) {
            bucket.getEncryptionKey().grantDecrypt(worker);
        }
    }

    /**
     * Grants calling the API ({@code execute-api:Invoke} on every route of its {@code $default}
     * stage), for callers that sign with SigV4 under the default IAM authorization.
     *
     * @param grantee the caller
     * @return the grant
     */
    public Grant grantInvokeApi(IGrantable grantee) {
        String arn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("execute-api")
                .resource(api.getApiId())
                .resourceName("$default/*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder().grantee(grantee)
                .actions(List.of("execute-api:Invoke")).resourceArns(List.of(arn)).build());
    }

    /** @return the settings in force (tier defaults with overrides) */
    public ScaleSettings getSettings() { return settings; }
    /** @return the VPC (given or created) */
    public IVpc getVpc() { return vpc; }
    /** @return the ECS cluster (Container Insights on) */
    public Cluster getCluster() { return cluster; }
    /** @return the scan-task queue and its dead-letter queue */
    public FairQueue getQueue() { return queue; }
    /** @return the progress database, its proxy and functions */
    public ProgressDatabase getDatabase() { return database; }
    /** @return Conditional: the inventory mode when the settings turn it on, else {@code null} */
    public InventoryMode getInventoryMode() { return inventoryMode; }
    /** @return the API function (SnapStart on published versions) */
    public Function getApiFunction() { return apiFunction; }
    /** @return the {@code live} alias the API invokes (SnapStart applies to versions only) */
    public Alias getApiAlias() { return apiAlias; }
    /** @return the HTTP API */
    public HttpApi getApi() { return api; }
    /** @return the API's {@code $default} stage (access logs, throttling) */
    public HttpStage getApiStage() { return apiStage; }
    /** @return the list-batch function (Step Functions task) */
    public Function getListBatchFunction() { return listBatchFunction; }
    /** @return the list-failure function (Step Functions Catch) */
    public Function getListFailureFunction() { return listFailureFunction; }
    /** @return the function that fails the objects of dead-lettered scan tasks (SQS event source on the DLQ) */
    public Function getDeadLetterFunction() { return deadLetterFunction; }
    /** @return Conditional: the inventory-batch function (Step Functions task for {@code source = inventory}) when inventory mode is on, else {@code null} */
    public Function getInventoryBatchFunction() { return inventoryBatchFunction; }
    /** @return the CloudWatch namespace of the custom metrics */
    public String getMetricsNamespace() { return metricsNamespace; }

    /**
     * Alarm: any scan task in the dead-letter queue (its {@code ApproximateNumberOfMessagesVisible}
     * at 1 or more in a minute): objects were failed by the dead-letter function.
     *
     * @return the alarm
     */
    public Alarm getDeadLetterQueueAlarm() { return queue.getDeadLetterQueueAlarm(); }

    /**
     * Alarm: the oldest scan task ({@code ApproximateAgeOfOldestMessage}, 1-minute maximum) at or
     * above {@link ScaleSettings#getOldestScanTaskAlarmMinutes()} (tier defaults: small 60,
     * medium 180, large 360, enterprise 720 minutes): workers are not keeping up or not running.
     *
     * @return the alarm
     */
    public Alarm getOldestScanTaskAlarm() { return queue.getOldestMessageAgeAlarm(); }

    /**
     * Alarm: while a tenant is noisy, the quiet tenants' oldest scan task
     * ({@code ApproximateAgeOfOldestMessageInQuietGroups}) at or above
     * {@link ScaleSettings#getQuietTenantAlarmMinutes()} (defaults: 15 minutes for small and
     * medium, 30 for large and enterprise).
     *
     * @return the alarm
     */
    public Alarm getQuietTenantAlarm() { return queue.getQuietGroupAgeAlarm(); }

    /**
     * Alarm: {@code RefreshFailures} plus the refresh function's {@code Errors} at 1 or more in 3
     * of 5 consecutive minutes ({@link ProgressDatabase#getRefreshFailureAlarm()}).
     *
     * @return the alarm
     */
    public Alarm getRefreshFailureAlarm() { return database.getRefreshFailureAlarm(); }

    /**
     * @return every alarm above (dead-letter queue, oldest scan task, quiet tenants, refresh
     *         failures); each notifies {@link ScannerPipelineProps#getAlarmTopic()} when it is set
     */
    public List<Alarm> getAlarms() { return Collections.unmodifiableList(alarms); }

    /** @return the listing state machine */
    public StateMachine getStateMachine() { return stateMachine; }
    /** @return the state machine's fixed name (the hand-off starts executions of it by ARN) */
    public String getStateMachineName() { return stateMachineName; }
    /** @return iterations after which an execution hands off to a fresh one */
    public int getHandoffIterations() { return handoffIterations; }
    /** @return the worker task definition */
    public FargateTaskDefinition getTaskDefinition() { return taskDefinition; }
    /** @return the worker container */
    public ContainerDefinition getWorkerContainer() { return workerContainer; }
    /** @return the worker service */
    public FargateService getWorkerService() { return workerService; }
    /** @return the worker service's scalable task count */
    public ScalableTaskCount getScaling() { return scaling; }
    /** @return visible messages per running worker, the scaling metric */
    public MathExpression getBacklogPerTask() { return backlogPerTask; }
    /** @return the CloudWatch dashboard */
    public Dashboard getDashboard() { return dashboard; }
    /** @return the target buckets (read-only view) */
    public List<IBucket> getTargetBuckets() { return Collections.unmodifiableList(targetBuckets); }
}
