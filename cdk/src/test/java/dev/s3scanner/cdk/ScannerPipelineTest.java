package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Fine-grained assertions on the app's template (small tier unless a tier is named). */
class ScannerPipelineTest {

    private static Template small;
    private static ScannerPipeline pipeline;

    @BeforeAll
    static void synth() {
        Synth.Result r = Synth.tier(ScaleTier.SMALL);
        small = r.template();
        pipeline = r.stack().getPipeline();
    }

    // ---- queue ------------------------------------------------------------------------------

    @Test
    void workersConsumeAndTheListerSendsToTheFairQueue() {
        // given
        String queue = Templates.resources(small, "AWS::SQS::Queue").stream()
                .filter(e -> e.getValue().path("Properties").has("RedrivePolicy"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();

        // when
        List<String> workerActions = actions(statements("WorkerTaskTaskRoleDefaultPolicy"));
        List<String> listerActions = actions(statements("ListBatchFunctionServiceRoleDefaultPolicy"));

        // then
        small.hasResourceProperties("AWS::SQS::Queue", Map.of("RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        assertThat(workerActions).contains("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage");
        assertThat(listerActions).contains("sqs:SendMessage").doesNotContain("sqs:ReceiveMessage");
        assertThat(env("ListBatchFunction").get("SCANNER_QUEUE_URL")).contains(queue);
        assertThat(workerEnvironment().get("SCANNER_QUEUE_URL")).contains(queue);
        assertThat(workerEnvironment()).containsEntry("SCANNER_VISIBILITY_TIMEOUT_SECONDS", "120");
        small.hasResourceProperties("AWS::SQS::Queue", Map.of("VisibilityTimeout", 120, "RedrivePolicy", Match.anyValue()));
    }

    @Test
    void deadLetteredTasksAreHandedToTheDeadLetterFunction() {
        // given
        String dlq = Templates.logicalId(small, "AWS::SQS::Queue", "DeadLetterQueue");
        String fn = Templates.logicalId(small, "AWS::Lambda::Function", "DeadLetterFunction");

        // then
        small.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "EventSourceArn", Map.of("Fn::GetAtt", List.of(dlq, "Arn")),
                "FunctionName", Map.of("Ref", fn),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        small.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.lister.DeadLetterHandler::handleRequest", "Timeout", 30));
        small.hasResourceProperties("AWS::SQS::Queue", Map.of("VisibilityTimeout", 180, "RedrivePolicy", Match.absent()));
        assertThat(env("DeadLetterFunction")).containsKeys("SCANNER_DB_SECRET_ARN", "SCANNER_DB_HOST");
    }

    // ---- database -----------------------------------------------------------------------------

    @Test
    void proxyRequiresTlsAndSetsSessionSettingsInItsInitQuery() {
        // then (cases/16: the application never sends SET)
        small.hasResourceProperties("AWS::RDS::DBProxy", Map.of(
                "RequireTLS", true,
                "EngineFamily", "POSTGRESQL",
                "Auth", List.of(Match.objectLike(Map.of("IAMAuth", "DISABLED", "AuthScheme", "SECRETS")))));
        small.hasResourceProperties("AWS::RDS::DBProxyTargetGroup", Map.of("ConnectionPoolConfigurationInfo",
                Match.objectLike(Map.of("InitQuery", ProgressDatabase.DEFAULT_INIT_QUERY))));
    }

    @Test
    void clientsReachTheProxyAndTheRefresherTheInstance() {
        // given
        String proxy = Templates.logicalId(small, "AWS::RDS::DBProxy", "Proxy");
        String instance = Templates.logicalId(small, "AWS::RDS::DBInstance", "Instance");

        // then
        assertThat(env("ApiFunction").get("SCANNER_DB_HOST")).contains(proxy).contains("Endpoint");
        assertThat(workerEnvironment().get("SCANNER_DB_HOST")).contains(proxy);
        assertThat(env("RefreshFunction").get("SCANNER_DB_HOST")).contains(instance).contains("Endpoint.Address");
        assertThat(env("MigrateFunction").get("SCANNER_DB_HOST")).contains(instance);
    }

    @Test
    void refresherRunsEveryMinuteWithoutOverlapOrRetries() {
        // given
        String refresh = Templates.logicalId(small, "AWS::Lambda::Function", "RefreshFunction");

        // then (cases/17)
        small.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(refresh, "Arn")),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60))))));
        small.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.refresher.RefreshHandler::handleRequest",
                "ReservedConcurrentExecutions", 1));
        small.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of("MaximumRetryAttempts", 0));
    }

    @Test
    void migrationsRunAtDeployTimeThroughATrigger() {
        // given
        String migrate = Templates.logicalId(small, "AWS::Lambda::Version", "MigrateFunctionCurrentVersion");

        // when
        JsonNode trigger = Templates.resources(small, "Custom::Trigger").get(0).getValue();

        // then
        assertThat(trigger.path("Properties").path("HandlerArn").toString()).contains(migrate);
        assertThat(trigger.path("DependsOn").toString()).contains(Templates.logicalId(small, "AWS::RDS::DBInstance", "Instance"));
        small.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.refresher.MigrateHandler::handleRequest"));
    }

    @ParameterizedTest
    @CsvSource({"SMALL, false", "MEDIUM, false", "LARGE, true", "ENTERPRISE, true"})
    void migrationIsToldWhetherToPartitionJobObjects(ScaleTier tier, boolean partitioned) {
        // when
        Map<String, String> env = env(Synth.tier(tier).template(), "MigrateFunction");

        // then
        assertThat(env.get("SCANNER_PARTITIONED")).isEqualTo(Boolean.toString(partitioned));
    }

    @ParameterizedTest
    @CsvSource({"SMALL, db.t3.medium, false", "MEDIUM, db.t3.large, true", "LARGE, db.r6g.large, true",
            "ENTERPRISE, db.r6g.xlarge, true"})
    void databaseSizeFollowsTheTier(ScaleTier tier, String instanceClass, boolean multiAz) {
        // then
        Synth.tier(tier).template().hasResourceProperties("AWS::RDS::DBInstance", Map.of(
                "DBInstanceClass", instanceClass,
                "MultiAZ", multiAz,
                "StorageEncrypted", true,
                "PubliclyAccessible", false,
                "DeletionProtection", true));
    }

    // ---- listing state machine ----------------------------------------------------------------

    @Test
    void stateMachineLoopsOverListBatchUntilDone() {
        // when
        JsonNode def = Templates.stateMachineDefinition(small);
        JsonNode states = def.path("States");

        // then
        assertThat(def.path("StartAt").asText()).isEqualTo("Start");
        assertThat(states.path("Start").path("Next").asText()).isEqualTo("ListBatch");
        assertThat(states.path("ListBatch").path("Next").asText()).isEqualTo("Listed?");
        JsonNode choices = states.path("Listed?").path("Choices");
        assertThat(choices.get(0).path("Variable").asText()).isEqualTo("$.done");
        assertThat(choices.get(0).path("BooleanEquals").asBoolean()).isTrue();
        assertThat(choices.get(0).path("Next").asText()).isEqualTo("Listed");
        assertThat(states.path("Listed?").path("Default").asText()).isEqualTo("ListBatch");
        assertThat(states.path("Listed").path("Type").asText()).isEqualTo("Succeed");
    }

    @Test
    void onlyTheConstantSizeListStatePassesBetweenStates() {
        // when (cases/04: never a page of keys in the state)
        JsonNode listBatch = Templates.stateMachineDefinition(small).path("States").path("ListBatch");

        // then
        assertThat(fieldNames(listBatch.path("ResultSelector")))
                .containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration.$", "done.$");
        assertThat(listBatch.path("ResultSelector").path("token.$").asText()).isEqualTo("$.Payload.token");
        assertThat(listBatch.path("ResultPath").asText()).isEqualTo("$");
        assertThat(fieldNames(listBatch.path("Parameters").path("Payload")))
                .containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration.$", "done.$");
        assertThat(fieldNames(Templates.stateMachineDefinition(small).path("States").path("Start").path("Parameters")))
                .containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration.$", "done");
    }

    @Test
    void atTheHandoffBoundItStartsAFreshExecutionOfItselfAndEnds() {
        // when (cases/05)
        JsonNode states = Templates.stateMachineDefinition(small).path("States");
        JsonNode handoffChoice = states.path("Listed?").path("Choices").get(1);
        JsonNode handOff = states.path("HandOff");

        // then
        assertThat(handoffChoice.path("Variable").asText()).isEqualTo("$.iteration");
        assertThat(handoffChoice.path("NumericGreaterThanEquals").asInt()).isEqualTo(ScannerPipeline.DEFAULT_HANDOFF_ITERATIONS);
        assertThat(handoffChoice.path("Next").asText()).isEqualTo("HandOff");
        assertThat(handOff.path("Resource").asText()).endsWith(":states:::aws-sdk:sfn:startExecution");
        assertThat(handOff.path("Parameters").path("StateMachineArn.$").asText()).isEqualTo("$$.StateMachine.Id");
        assertThat(handOff.path("Parameters").path("Name.$").asText()).isEqualTo("States.Format('{}-{}', $.job_id, $.pages)");
        JsonNode input = handOff.path("Parameters").path("Input");
        assertThat(fieldNames(input)).containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration", "done", "source");
        assertThat(input.path("iteration").asInt()).isZero();
        assertThat(input.path("source").asText()).isEqualTo("list");
        assertThat(handOff.path("ResultPath").isNull()).isTrue();
        assertThat(handOff.path("Next").asText()).isEqualTo("HandedOff");
        assertThat(states.path("HandedOff").path("Type").asText()).isEqualTo("Succeed");
    }

    @Test
    void stateMachineMayStartOnlyItselfByItsFixedName() {
        // given
        String name = pipeline.getStateMachineName();

        // when
        List<JsonNode> start = statements("ListingRoleDefaultPolicy").stream()
                .filter(s -> actions(List.of(s)).contains("states:StartExecution")).toList();

        // then: the ARN is built from the fixed name, so the role does not reference the state machine (no cycle)
        small.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of("StateMachineName", name));
        assertThat(start).hasSize(1);
        String resource = start.get(0).path("Resource").toString();
        assertThat(resource).contains(":stateMachine:" + name);
        assertThat(resource).doesNotContain(Templates.logicalId(small, "AWS::StepFunctions::StateMachine", "Listing"));
    }

    @Test
    void everyFailureMarksTheJobFailed() {
        // when
        JsonNode states = Templates.stateMachineDefinition(small).path("States");

        // then
        JsonNode alreadyStarted = states.path("HandOff").path("Catch").get(0);
        assertThat(alreadyStarted.path("ErrorEquals").get(0).asText()).isEqualTo("Sfn.ExecutionAlreadyExistsException");
        assertThat(alreadyStarted.path("Next").asText()).isEqualTo("HandedOff");
        for (String task : List.of("ListBatch", "HandOff")) {
            JsonNode catches = states.path(task).path("Catch");
            JsonNode c = catches.get(catches.size() - 1);
            assertThat(c.path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
            assertThat(c.path("ResultPath").asText()).isEqualTo("$.error");
            assertThat(c.path("Next").asText()).isEqualTo("ListFailure");
        }
        assertThat(fieldNames(states.path("ListFailure").path("Parameters").path("Payload"))).containsExactly("job_id.$", "error.$");
        assertThat(states.path("ListFailure").path("Next").asText()).isEqualTo("ListingFailed");
        assertThat(states.path("ListingFailed").path("Type").asText()).isEqualTo("Fail");
    }

    @Test
    void listBatchGetsItsPagesPerInvocation() {
        // then
        assertThat(env("ListBatchFunction").get("SCANNER_LIST_PAGES_PER_INVOCATION")).isEqualTo("10");
    }

    // ---- workers ------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"SMALL, 5, 1024, 2048, 1", "MEDIUM, 20, 1024, 2048, 1", "LARGE, 50, 2048, 4096, 2",
            "ENTERPRISE, 100, 2048, 4096, 2"})
    void workerScalingBoundsAndSizeFollowTheTier(ScaleTier tier, int max, int cpu, int memory, String vcpu) {
        // given
        Template t = Synth.tier(tier).template();

        // then
        t.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of(
                "MinCapacity", 0, "MaxCapacity", max, "ScalableDimension", "ecs:service:DesiredCount"));
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("Cpu", Integer.toString(cpu), "Memory", Integer.toString(memory)));
        Map<String, String> env = workerEnvironment(t);
        assertThat(env).containsEntry("SCANNER_WORKER_VCPU", vcpu).containsEntry("SCANNER_WORKER_MEMORY_MIB", Integer.toString(memory));
    }

    @Test
    void workersScaleOnVisibleMessagesPerRunningTask() {
        // when
        List<JsonNode> alarms = Templates.resources(small, "AWS::CloudWatch::Alarm").stream()
                .map(Map.Entry::getValue)
                .filter(a -> a.path("Properties").path("Metrics").toString().contains("RunningTaskCount"))
                .toList();

        // then: one alarm to scale out, one to scale in, both on the metric-math ratio
        assertThat(alarms).hasSize(2);
        for (JsonNode a : alarms) {
            String metrics = a.path("Properties").path("Metrics").toString();
            assertThat(metrics).contains("IF(FILL(running, 0) > 0, visible / FILL(running, 0), visible)")
                    .contains("ApproximateNumberOfMessagesVisible").contains("ECS/ContainerInsights");
        }
        small.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Map.of(
                "PolicyType", "StepScaling",
                "StepScalingPolicyConfiguration", Match.objectLike(Map.of("AdjustmentType", "ChangeInCapacity"))));
        small.hasResourceProperties("AWS::ECS::Cluster", Map.of("ClusterSettings",
                List.of(Map.of("Name", "containerInsights", "Value", "enabled"))));
    }

    @Test
    void workersMayHoldTaskScaleInProtectionOnThisClusterOnly() {
        // when
        List<JsonNode> protection = statements("WorkerTaskTaskRoleDefaultPolicy").stream()
                .filter(s -> actions(List.of(s)).contains("ecs:UpdateTaskProtection")).toList();

        // then
        assertThat(protection).hasSize(1);
        assertThat(actions(protection)).containsExactly("ecs:GetTaskProtection", "ecs:UpdateTaskProtection");
        assertThat(protection.get(0).path("Resource").toString())
                .contains(":task/").contains(Templates.logicalId(small, "AWS::ECS::Cluster", "Cluster"));
    }

    @Test
    void workerServiceRunsInPrivateSubnetsWithoutPublicIps() {
        // then
        small.hasResourceProperties("AWS::ECS::Service", Map.of(
                "LaunchType", "FARGATE",
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Match.objectLike(Map.of("AssignPublicIp", "DISABLED")))));
    }

    // ---- least privilege ------------------------------------------------------------------------

    @Test
    void s3PermissionsNameOnlyTheTargetBuckets() {
        // when
        List<JsonNode> s3 = Templates.policyStatements(small).stream().map(Map.Entry::getValue)
                .filter(s -> actions(List.of(s)).stream().anyMatch(a -> a.startsWith("s3:"))).toList();

        // then
        assertThat(s3).isNotEmpty();
        for (JsonNode s : s3) {
            assertThat(actions(List.of(s))).allMatch(a -> List.of("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket").contains(a));
            for (String r : Templates.strings(s.path("Resource"))) {
                assertThat(r).isNotEqualTo("*").containsAnyOf(Synth.PLAIN_BUCKET, Synth.KMS_BUCKET);
            }
        }
        assertThat(Templates.policyStatements(small).stream().flatMap(e -> actions(List.of(e.getValue())).stream()))
                .doesNotContain("s3:*", "*");
    }

    @Test
    void workersGetKmsDecryptOnlyForTheBucketWithAKey() {
        // when (cases/07)
        List<JsonNode> kms = statements("WorkerTaskTaskRoleDefaultPolicy").stream()
                .filter(s -> actions(List.of(s)).contains("kms:Decrypt")).toList();

        // then
        assertThat(kms).hasSize(1);
        assertThat(Templates.strings(kms.get(0).path("Resource"))).containsExactly(Synth.KMS_KEY_ARN);
    }

    @Test
    void withoutAKeyTheWorkerGetsNoKmsPermission() {
        // given
        Synth.Result r = Synth.app(Map.of("tier", "small", "targetBuckets", Synth.PLAIN_BUCKET, "nag", "false"));

        // when
        List<String> actions = Templates.policyStatements(r.template()).stream()
                .filter(e -> e.getKey().contains("WorkerTaskTaskRoleDefaultPolicy"))
                .flatMap(e -> actions(List.of(e.getValue())).stream()).toList();

        // then
        assertThat(actions).contains("s3:GetObject").noneMatch(a -> a.startsWith("kms:"));
    }

    @Test
    void apiAcceptsOnlyTheTargetBuckets() {
        // then
        assertThat(env("ApiFunction").get("SCANNER_ALLOWED_BUCKETS")).isEqualTo(Synth.PLAIN_BUCKET + "," + Synth.KMS_BUCKET);
    }

    // ---- API --------------------------------------------------------------------------------

    @Test
    void apiRoutesUseIamAuthorizationAndPayloadFormatTwo() {
        // when
        List<String> routeKeys = Templates.resources(small, "AWS::ApiGatewayV2::Route").stream()
                .map(e -> e.getValue().path("Properties").path("RouteKey").asText()).sorted().toList();

        // then
        assertThat(routeKeys).containsExactly("DELETE /jobs/{job_id}", "GET /jobs/{job_id}", "GET /openapi.json",
                "GET /results", "POST /scan");
        small.allResourcesProperties("AWS::ApiGatewayV2::Route", Map.of("AuthorizationType", "AWS_IAM"));
        small.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY", "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", Templates.logicalId(small, "AWS::Lambda::Alias", "ApiFunctionLive"))));
        small.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "$default",
                "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", Match.anyValue()))));
    }

    @Test
    void apiFunctionUsesSnapStartOnItsPublishedVersion() {
        // then (cases/18)
        small.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.lister.ApiHandler::handleRequest",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        small.hasResourceProperties("AWS::Lambda::Alias", Map.of("Name", "live"));
    }

    // ---- encryption and inventory -----------------------------------------------------------------

    @Test
    void dataAtRestIsEncrypted() {
        // then
        small.allResourcesProperties("AWS::RDS::DBInstance", Map.of("StorageEncrypted", true));
        small.allResourcesProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
        small.hasResourceProperties("AWS::RDS::DBParameterGroup", Map.of("Parameters", Map.of("rds.force_ssl", "1")));
    }

    @Test
    void enterpriseListsFromAnEncryptedInventoryReportsBucket() {
        // given
        Template t = Synth.tier(ScaleTier.ENTERPRISE).template();

        // when
        Map<String, String> env = env(t, "InventoryBatchFunction");

        // then
        assertThat(env).containsKey("SCANNER_INVENTORY_BUCKET").containsEntry("SCANNER_INVENTORY_PREFIX", "");
        t.hasResourceProperties("AWS::S3::Bucket", Map.of("BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
        assertThat(env(small, "ListBatchFunction")).doesNotContainKey("SCANNER_INVENTORY_BUCKET");
    }

    @Test
    void reusablePipelineEmitsNoOutputsButTheAppStackDoes() {
        // given
        software.amazon.awscdk.Stack bare = new software.amazon.awscdk.Stack(Synth.unstagedApp(), "Bare");
        new ScannerPipeline(bare, "Scanner", ScannerPipelineProps.builder()
                .targetBuckets(List.of(software.amazon.awscdk.services.s3.Bucket.fromBucketName(bare, "B", Synth.PLAIN_BUCKET)))
                .build());

        // when
        JsonNode outputs = Templates.tree(Template.fromStack(bare)).path("Outputs");

        // then
        assertThat(outputs.isMissingNode() || outputs.isEmpty()).isTrue();
        assertThat(fieldNames(Templates.tree(small).path("Outputs")))
                .contains("ApiUrl", "StateMachineArn", "QueueUrl", "DeadLetterQueueUrl");
    }

    @Test
    void grantInvokeApiAllowsExecuteApiOnTheDefaultStageOnly() {
        // given
        software.amazon.awscdk.Stack stack = new software.amazon.awscdk.Stack(Synth.unstagedApp(), "Caller");
        ScannerPipeline p = new ScannerPipeline(stack, "Scanner", ScannerPipelineProps.builder()
                .targetBuckets(List.of(software.amazon.awscdk.services.s3.Bucket.fromBucketName(stack, "B", Synth.PLAIN_BUCKET)))
                .build());
        software.amazon.awscdk.services.iam.Role caller = software.amazon.awscdk.services.iam.Role.Builder.create(stack, "ApiCaller")
                .assumedBy(new software.amazon.awscdk.services.iam.AccountRootPrincipal()).build();

        // when
        p.grantInvokeApi(caller);
        Template t = Template.fromStack(stack);

        // then
        JsonNode statement = Templates.policyStatements(t).stream().filter(e -> e.getKey().contains("ApiCaller"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(Templates.strings(statement.path("Action"))).containsExactly("execute-api:Invoke");
        assertThat(statement.path("Resource").toString())
                .contains(":execute-api:").contains(Templates.logicalId(t, "AWS::ApiGatewayV2::Api", "Api"))
                .contains("/$default/*");
    }

    @Test
    void teamsCanBringTheirOwnCodeAndImage() {
        // given
        software.amazon.awscdk.Stack stack = new software.amazon.awscdk.Stack(Synth.unstagedApp(), "Own");
        software.amazon.awscdk.services.s3.IBucket artifacts =
                software.amazon.awscdk.services.s3.Bucket.fromBucketName(stack, "Artifacts", "team-artifacts");
        new ScannerPipeline(stack, "Scanner", ScannerPipelineProps.builder()
                .targetBuckets(List.of(software.amazon.awscdk.services.s3.Bucket.fromBucketName(stack, "B", Synth.PLAIN_BUCKET)))
                .listerCode(software.amazon.awscdk.services.lambda.Code.fromBucket(artifacts, "lister-1.2.jar"))
                .refresherCode(software.amazon.awscdk.services.lambda.Code.fromBucket(artifacts, "refresher-1.2.jar"))
                .workerImage(software.amazon.awscdk.services.ecs.ContainerImage.fromRegistry("public.ecr.aws/team/worker:1.2"))
                .build());

        // when
        Template t = Template.fromStack(stack);

        // then
        t.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.lister.ApiHandler::handleRequest",
                "Code", Map.of("S3Bucket", "team-artifacts", "S3Key", "lister-1.2.jar")));
        t.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.refresher.RefreshHandler::handleRequest",
                "Code", Map.of("S3Bucket", "team-artifacts", "S3Key", "refresher-1.2.jar")));
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("ContainerDefinitions",
                List.of(Match.objectLike(Map.of("Image", "public.ecr.aws/team/worker:1.2")))));
        assertThat(t.toJSON().toString()).doesNotContain("container-assets");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static List<JsonNode> statements(String policyIdPart) {
        return Templates.policyStatements(small).stream().filter(e -> e.getKey().contains(policyIdPart))
                .map(Map.Entry::getValue).collect(Collectors.toList());
    }

    private static List<String> actions(List<JsonNode> statements) {
        List<String> out = new ArrayList<>();
        statements.forEach(s -> out.addAll(Templates.strings(s.path("Action"))));
        return out;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Map<String, String> env(String functionIdPart) {
        return env(small, functionIdPart);
    }

    private static Map<String, String> env(Template t, String functionIdPart) {
        JsonNode vars = Templates.resource(t, "AWS::Lambda::Function", functionIdPart)
                .path("Properties").path("Environment").path("Variables");
        Map<String, String> out = new java.util.TreeMap<>();
        vars.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }

    private static Map<String, String> workerEnvironment() {
        return workerEnvironment(small);
    }

    private static Map<String, String> workerEnvironment(Template t) {
        JsonNode env = Templates.resources(t, "AWS::ECS::TaskDefinition").get(0).getValue()
                .path("Properties").path("ContainerDefinitions").get(0).path("Environment");
        return StreamSupport.stream(env.spliterator(), false).collect(Collectors.toMap(
                e -> e.path("Name").asText(),
                e -> e.path("Value").isTextual() ? e.path("Value").asText() : e.path("Value").toString(),
                (a, b) -> a, java.util.TreeMap::new));
    }
}
