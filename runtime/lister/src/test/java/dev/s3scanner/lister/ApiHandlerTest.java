package dev.s3scanner.lister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.lister.api.AllowedBuckets;
import dev.s3scanner.lister.api.Api;
import dev.s3scanner.lister.api.ResultsCursor;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The Lambda entry point: start-up that opens nothing (cases/18), the lazy one-connection pool,
 * 503 when the database is unreachable, and starting the listing state machine through the Step
 * Functions wire protocol, idempotently, with the real PostgreSQL behind.
 */
class ApiHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:scanner-listing";
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(4);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static APIGatewayV2HTTPEvent request(String method, String path, String body, Map<String, String> headers) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("$default").withRawPath(path).withRawQueryString("")
                .withHeaders(headers).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("req-" + UUID.randomUUID()).withStage("$default")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .build())
                .build();
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return JSON.readTree(r.getBody());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> env(String jdbcUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("SCANNER_JDBC_URL", jdbcUrl);
        env.put("SCANNER_STATE_MACHINE_ARN", STATE_MACHINE);
        env.put("SCANNER_ALLOWED_BUCKETS", "*");
        return env;
    }

    private static SfnClient sfn(URI endpoint) {
        return SfnClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(5)).retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    private static ApiHandler handler(SfnClient sfn) {
        return handler(sfn, true);
    }

    private static ApiHandler handler(SfnClient sfn, boolean inventoryConfigured) {
        byte[] key = new byte[32];
        return new ApiHandler(new Api(db::store, new StepFunctionsListingStarter(() -> sfn, STATE_MACHINE),
                AllowedBuckets.any(), new ResultsCursor(() -> key), inventoryConfigured));
    }

    @Test
    void startUpOpensNoConnectionAndTheDocumentNeedsNoDatabase() throws Exception {
        // given: a database that refuses connections
        ApiHandler handler = new ApiHandler(Env.of(env("jdbc:postgresql://127.0.0.1:" + closedPort() + "/scanner")));

        // when
        APIGatewayV2HTTPResponse doc = handler.handleRequest(request("GET", "/openapi.json", null, Map.of()), null);

        // then
        assertThat(doc.getStatusCode()).isEqualTo(200);
        try (InputStream in = ApiHandler.class.getResourceAsStream("/openapi.json")) {
            assertThat(doc.getBody()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anUnreachableDatabaseIs503WithinTheConnectTimeout() throws Exception {
        // given
        ApiHandler handler = new ApiHandler(Env.of(env("jdbc:postgresql://127.0.0.1:" + closedPort() + "/scanner")));
        long start = System.nanoTime();

        // when
        APIGatewayV2HTTPResponse r = handler.handleRequest(request("GET", "/jobs/" + UUID.randomUUID(), null, Map.of()), null);

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeaders()).containsEntry("Retry-After", "5");
        assertThat(json(r).at("/error/code").asText()).isEqualTo("database_unavailable");
        assertThat(json(r).at("/error/message").asText()).isEqualTo("the database cannot be reached right now; retry in a few seconds");
    }

    @Test
    void theFirstDatabaseRequestOpensThePool() throws Exception {
        // given
        Job job = db.store().createJob(dev.s3scanner.core.store.NewJob.of("pool-bucket", ""));
        ApiHandler handler = new ApiHandler(Env.of(env(db.url())));

        // when
        APIGatewayV2HTTPResponse r = handler.handleRequest(request("GET", "/jobs/" + job.jobId(), null, Map.of()), null);

        // then
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(json(r).get("job_id").asText()).isEqualTo(job.jobId().toString());
        assertThat(json(r).get("figures").asText()).isEqualTo("live");
    }

    @Test
    void aBadEnvironmentFailsAtStartUpNamingTheVariable() {
        // given
        Map<String, String> noArn = env(db.url());
        noArn.remove("SCANNER_STATE_MACHINE_ARN");
        Map<String, String> badBuckets = env(db.url());
        badBuckets.put("SCANNER_ALLOWED_BUCKETS", "good-bucket,Bad_Bucket");
        Map<String, String> shortKey = env(db.url());
        shortKey.put("SCANNER_CURSOR_KEY", "c2hvcnQ=");

        // then
        assertThatThrownBy(() -> new ApiHandler(Env.of(noArn))).isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_STATE_MACHINE_ARN is not set");
        assertThatThrownBy(() -> new ApiHandler(Env.of(badBuckets))).isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_ALLOWED_BUCKETS names 'Bad_Bucket', which is not a valid bucket name: it may contain "
                        + "only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit");
        assertThatThrownBy(() -> new ApiHandler(Env.of(shortKey))).isInstanceOf(ConfigException.class)
                .hasMessage("SCANNER_CURSOR_KEY must hold at least 32 bytes, has 5");
    }

    @Test
    void aScanStartsOneExecutionNamedAfterTheJob() throws Exception {
        try (StepFunctionsStandIn sfnServer = new StepFunctionsStandIn(); SfnClient sfn = sfn(sfnServer.endpoint())) {
            // given
            ApiHandler handler = handler(sfn);

            // when
            APIGatewayV2HTTPResponse r = handler.handleRequest(request("POST", "/scan",
                    "{\"bucket\": \"sfn-bucket\", \"prefix\": \"a b/\"}", Map.of()), null);

            // then
            assertThat(r.getStatusCode()).isEqualTo(202);
            String jobId = json(r).get("job_id").asText();
            assertThat(sfnServer.calls()).containsExactly(new StepFunctionsStandIn.Call("AWSStepFunctions.StartExecution",
                    STATE_MACHINE, jobId, "{\"job_id\":\"" + jobId
                    + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false,\"source\":\"list\"}"));
        }
    }

    @Test
    void anInventoryScanIsRefusedWhenTheDeploymentHasNoInventoryReports() throws Exception {
        try (StepFunctionsStandIn sfnServer = new StepFunctionsStandIn(); SfnClient sfn = sfn(sfnServer.endpoint())) {
            // given: inventory mode off
            ApiHandler handler = handler(sfn, false);

            // when
            APIGatewayV2HTTPResponse r = handler.handleRequest(request("POST", "/scan",
                    "{\"bucket\": \"inventory-bucket\", \"source\": \"inventory\"}", Map.of()), null);

            // then: 400 with the reason, and no execution started
            assertThat(r.getStatusCode()).isEqualTo(400);
            assertThat(json(r).get("error").get("code").asText()).isEqualTo("invalid_field");
            assertThat(json(r).get("error").get("message").asText()).isEqualTo("field 'source' is 'inventory' but this"
                    + " deployment has no S3 Inventory reports configured (inventory mode is off: SCANNER_INVENTORY_BUCKET is not set)");
            assertThat(sfnServer.calls()).isEmpty();
        }
    }

    @Test
    void anInventoryScanPassesItsSourceToTheStateMachine() throws Exception {
        try (StepFunctionsStandIn sfnServer = new StepFunctionsStandIn(); SfnClient sfn = sfn(sfnServer.endpoint())) {
            // given
            ApiHandler handler = handler(sfn);

            // when
            APIGatewayV2HTTPResponse r = handler.handleRequest(request("POST", "/scan",
                    "{\"bucket\": \"inventory-bucket\", \"source\": \"inventory\"}", Map.of()), null);

            // then: the state machine's Source? choice routes on this field
            assertThat(r.getStatusCode()).isEqualTo(202);
            String jobId = json(r).get("job_id").asText();
            assertThat(sfnServer.calls()).extracting(StepFunctionsStandIn.Call::input).containsExactly("{\"job_id\":\""
                    + jobId + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false,"
                    + "\"source\":\"inventory\"}");
        }
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameJobAndNoSecondListing() throws Exception {
        try (StepFunctionsStandIn sfnServer = new StepFunctionsStandIn(); SfnClient sfn = sfn(sfnServer.endpoint())) {
            // given
            ApiHandler handler = handler(sfn);
            Map<String, String> key = Map.of("idempotency-key", "retry-" + UUID.randomUUID());
            APIGatewayV2HTTPResponse first = handler.handleRequest(request("POST", "/scan", "{\"bucket\": \"sfn-bucket\"}", key), null);
            sfnServer.closeExecutions();

            // when
            APIGatewayV2HTTPResponse retry = handler.handleRequest(request("POST", "/scan", "{\"bucket\": \"sfn-bucket\"}", key), null);

            // then
            assertThat(retry.getStatusCode()).isEqualTo(202);
            assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
            assertThat(json(retry).get("job_id")).isEqualTo(json(first).get("job_id"));
            assertThat(sfnServer.calls()).hasSize(2).extracting(StepFunctionsStandIn.Call::name).containsOnly(
                    json(first).get("job_id").asText());
            assertThat(db.scalar("SELECT count(*) FROM jobs WHERE idempotency_key = ?", key.get("idempotency-key")))
                    .isEqualTo("1");
        }
    }

    @Test
    void whenStepFunctionsIsUnreachableAJobWithoutKeyIsFailedAnd503() throws Exception {
        try (SfnClient sfn = sfn(URI.create("http://127.0.0.1:" + closedPort()))) {
            // given
            ApiHandler handler = handler(sfn);

            // when
            APIGatewayV2HTTPResponse r = handler.handleRequest(request("POST", "/scan", "{\"bucket\": \"down-bucket\"}", Map.of()), null);

            // then
            assertThat(r.getStatusCode()).isEqualTo(503);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("listing_not_started");
            String message = json(r).at("/error/message").asText();
            UUID jobId = UUID.fromString(message.replaceAll(".*did not accept job ([0-9a-f-]{36}).*", "$1"));
            assertThat(message).isEqualTo("the listing service did not accept job " + jobId + ", which is marked failed; "
                    + "retry the request (with an Idempotency-Key header, a retry can never create two jobs)");
            Job job = db.store().findJob(jobId).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.statusReason()).isEqualTo("could not start listing: StartExecution failed: SdkClientException");
        }
    }

    @Test
    void whenStepFunctionsIsUnreachableAJobWithKeyWaitsForTheRetry() throws Exception {
        String key = "outage-" + UUID.randomUUID();
        Map<String, String> headers = Map.of("Idempotency-Key", "\"" + key + "\"");
        String jobId;
        try (SfnClient down = sfn(URI.create("http://127.0.0.1:" + closedPort()))) {
            // given
            APIGatewayV2HTTPResponse r = handler(down).handleRequest(request("POST", "/scan", "{\"bucket\": \"down-bucket\"}", headers), null);
            assertThat(r.getStatusCode()).isEqualTo(503);
            jobId = db.scalar("SELECT job_id FROM jobs WHERE idempotency_key = ?", key);
            assertThat(json(r).at("/error/message").asText()).isEqualTo("job " + jobId + " is recorded but its listing "
                    + "could not be started yet; retry the request with the same Idempotency-Key");
        }
        try (StepFunctionsStandIn sfnServer = new StepFunctionsStandIn(); SfnClient up = sfn(sfnServer.endpoint())) {
            // when
            APIGatewayV2HTTPResponse retry = handler(up).handleRequest(request("POST", "/scan", "{\"bucket\": \"down-bucket\"}", headers), null);

            // then
            assertThat(retry.getStatusCode()).isEqualTo(202);
            assertThat(json(retry).get("job_id").asText()).isEqualTo(jobId);
            assertThat(json(retry).get("status").asText()).isEqualTo("listing");
            assertThat(sfnServer.calls()).extracting(StepFunctionsStandIn.Call::name).containsExactly(jobId);
        }
    }
}
