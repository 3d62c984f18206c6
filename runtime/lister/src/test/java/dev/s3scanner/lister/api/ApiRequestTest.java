package dev.s3scanner.lister.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.store.JobStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How {@link Api} reads API Gateway (payload 2.0) events in the shapes a local HTTP server never
 * produces: named stages, base64 bodies, raw query strings with malformed escapes, a missing
 * request context. None of these requests reaches the database.
 */
class ApiRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Supplier<JobStore> NO_DATABASE = () -> {
        throw new AssertionError("these requests must not need the database");
    };
    private final Api api = new Api(NO_DATABASE, job -> {
        throw new AssertionError("no listing");
    }, AllowedBuckets.parse("alpha"), new ResultsCursor(() -> new byte[32]));

    private static APIGatewayV2HTTPEvent.APIGatewayV2HTTPEventBuilder event(String method, String path, String stage) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRawPath(path).withRawQueryString("")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("abc-123").withStage(stage)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build()).build());
    }

    private static JsonNode error(APIGatewayV2HTTPResponse r) throws Exception {
        return JSON.readTree(r.getBody()).get("error");
    }

    @Test
    void aNamedStageIsStrippedFromThePath() {
        // when
        APIGatewayV2HTTPResponse r = api.handle(event("GET", "/prod/openapi.json", "prod").build());

        // then
        assertThat(r.getStatusCode()).isEqualTo(200);
    }

    @Test
    void aBase64BodyIsDecodedOnce() throws Exception {
        // given: API Gateway base64-encodes bodies it takes for binary
        String body = Base64.getEncoder().encodeToString("{\"bucket\": \"Not_Valid\"}".getBytes(StandardCharsets.UTF_8));

        // when
        APIGatewayV2HTTPResponse r = api.handle(event("POST", "/scan", "$default").withBody(body).withIsBase64Encoded(true).build());

        // then
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(error(r).get("code").asText()).isEqualTo("invalid_bucket_name");
    }

    @Test
    void aBodyThatIsNotBase64ThoughMarkedSoIsInvalidJson() throws Exception {
        // when
        APIGatewayV2HTTPResponse r = api.handle(event("POST", "/scan", "$default").withBody("%%%").withIsBase64Encoded(true).build());

        // then
        assertThat(error(r).get("code").asText()).isEqualTo("invalid_json");
        assertThat(error(r).get("message").asText()).isEqualTo("the body is not valid base64 although the request says so");
    }

    @Test
    void malformedEscapesInTheRawQueryStringAre400() throws Exception {
        // when
        APIGatewayV2HTTPResponse r = api.handle(event("GET", "/results", "$default").withRawQueryString("bucket=alpha&key=%ZZ").build());
        APIGatewayV2HTTPResponse truncated = api.handle(event("GET", "/results", "$default").withRawQueryString("key=%E").build());

        // then
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).isEqualTo("query parameter 'key' has a malformed percent-escape: "
                + "'%' must be followed by two hexadecimal digits (send '%' as %25)");
        assertThat(error(truncated).get("code").asText()).isEqualTo("invalid_query_parameter");
    }

    @Test
    void plusInAQueryValueIsASpaceAndPercent2BIsAPlus() throws Exception {
        // when: the bucket filter shows how the value was decoded
        APIGatewayV2HTTPResponse plus = api.handle(event("GET", "/results", "$default").withRawQueryString("bucket=a+b").build());
        APIGatewayV2HTTPResponse escaped = api.handle(event("GET", "/results", "$default").withRawQueryString("bucket=a%2Bb").build());

        // then
        assertThat(error(plus).get("message").asText()).startsWith("'a b' is not a valid S3 bucket name");
        assertThat(error(escaped).get("message").asText()).startsWith("'a+b' is not a valid S3 bucket name");
    }

    @Test
    void anEventWithoutRequestContextIsAnsweredNotThrown() throws Exception {
        // when
        APIGatewayV2HTTPResponse r = api.handle(APIGatewayV2HTTPEvent.builder().withRawPath("/scan").build());

        // then
        assertThat(r.getStatusCode()).isEqualTo(405);
        assertThat(r.getHeaders()).containsEntry("Allow", "POST");
        assertThat(error(r).get("request_id").asText()).isEqualTo(r.getHeaders().get("X-Request-Id")).isNotBlank();
    }

    @Test
    void theRequestIdIsApiGatewaysAndHeaderNamesAreCaseInsensitive() throws Exception {
        // when
        APIGatewayV2HTTPResponse r = api.handle(event("POST", "/scan", "$default").withBody("{\"bucket\": \"alpha\"}")
                .withHeaders(Map.of("IDEMPOTENCY-KEY", "\u0001")).build());

        // then
        assertThat(r.getHeaders()).containsEntry("X-Request-Id", "abc-123");
        assertThat(error(r).get("code").asText()).isEqualTo("invalid_idempotency_key");
    }
}
