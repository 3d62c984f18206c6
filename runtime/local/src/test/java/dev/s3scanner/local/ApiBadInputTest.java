package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.local.ServeFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input, through real HTTP against {@code scanner serve}'s server: the exact
 * status, error code and message, and never a 5xx.
 */
class ApiBadInputTest {
    private static ServeFixture api;
    private static final String UNKNOWN_JOB = "00000000-0000-4000-8000-000000000000";
    private static final String ID_RULE = "must be a job id (a UUID such as 3f2b8c1e-0d4a-4e7b-9a51-2c6d8e9f0a1b), was ";

    @BeforeAll
    static void start() {
        api = ServeFixture.get();
    }

    private static Arguments post(String body, int status, String code, String message) {
        return Arguments.of("POST", "/scan", body, status, code, message);
    }

    private static Arguments get(String target, int status, String code, String message) {
        return Arguments.of("GET", target, null, status, code, message);
    }

    static Stream<Arguments> badRequests() {
        String bucketRule = "may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit";
        return Stream.of(
                post("", 400, "invalid_json", "the body is empty; send a JSON object such as {\"bucket\": \"my-bucket\"}"),
                post("[1, 2]", 400, "invalid_json", "the body must be a JSON object, was an array"),
                post("\"alpha\"", 400, "invalid_json", "the body must be a JSON object, was a string"),
                post("{\"bucket\": 5}", 400, "invalid_field", "field 'bucket' must be a string, was a number"),
                post("{\"bucket\": null}", 400, "missing_field", "field 'bucket' is required"),
                post("{}", 400, "missing_field", "field 'bucket' is required"),
                post("{\"bucket\": \"alpha\", \"prefix\": [\"a\"]}", 400, "invalid_field", "field 'prefix' must be a string, was an array"),
                post("{\"bucket\": \"alpha\", \"colour\": \"red\"}", 400, "unknown_field", "unknown field 'colour'; known fields: "
                        + "allow_list, bucket, custom_detectors, detectors, exclude, include, prefix, source"),
                post("{\"bucket\": \"My_Bucket\"}", 400, "invalid_bucket_name", "'My_Bucket' is not a valid S3 bucket name: the bucket " + bucketRule),
                post("{\"bucket\": \"ab\"}", 400, "invalid_bucket_name", "'ab' is not a valid S3 bucket name: the bucket must be 3 to 63 characters long"),
                post("{\"bucket\": \"10.0.0.1\"}", 400, "invalid_bucket_name", "'10.0.0.1' is not a valid S3 bucket name: the bucket must not be formatted as an IP address"),
                post("{\"bucket\": \"a..b\"}", 400, "invalid_bucket_name", "'a..b' is not a valid S3 bucket name: the bucket must not contain two adjacent dots"),
                post("{\"bucket\": \"alpha\", \"prefix\": \"" + "é".repeat(513) + "\"}", 400, "prefix_too_long",
                        "field 'prefix' is 1026 bytes in UTF-8; S3 keys, and so prefixes, are at most 1024 bytes"),
                post("{\"bucket\": \"alpha\", \"prefix\": \"a\\u0000b\"}", 400, "invalid_field",
                        "field 'prefix' must not contain the NUL character (U+0000)"),
                post("{\"bucket\": \"alpha\", \"prefix\": \"\\ud800\"}", 400, "invalid_field",
                        "field 'prefix' must be valid Unicode: it has a lone surrogate at character 0"),
                post("{\"bucket\": \"alpha\", \"source\": \"ftp\"}", 400, "invalid_field", "field 'source' must be 'list' or 'inventory', was 'ftp'"),
                post("{\"bucket\": \"other-bucket\"}", 403, "bucket_not_allowed",
                        "bucket 'other-bucket' is not one this deployment may scan (SCANNER_ALLOWED_BUCKETS)"),
                post("{\"bucket\": \"alpha\", \"include\": {\"min_size\": 10, \"max_size\": 5}}", 400, "invalid_filter",
                        "include.min_size (10) is greater than max_size (5)"),
                post("{\"bucket\": \"alpha\", \"include\": {\"size\": 1}}", 400, "unknown_field", "unknown field 'include.size'; "
                        + "known fields: extensions, max_size, min_size, modified_after, modified_before, prefixes"),
                post("{\"bucket\": \"alpha\", \"include\": {\"min_size\": \"10\"}}", 400, "invalid_field",
                        "field 'include.min_size' must be an integer, was a string"),
                post("{\"bucket\": \"alpha\", \"include\": {\"min_size\": 1.5}}", 400, "invalid_field",
                        "field 'include.min_size' must be an integer, was a number"),
                post("{\"bucket\": \"alpha\", \"include\": {\"max_size\": 99999999999999999999}}", 400, "invalid_field",
                        "field 'include.max_size' must be an integer, was a number"),
                post("{\"bucket\": \"alpha\", \"exclude\": {\"modified_after\": \"yesterday\"}}", 400, "invalid_field",
                        "field 'exclude.modified_after' must be an ISO-8601 date-time with an offset, such as 2024-05-01T00:00:00Z, was 'yesterday'"),
                post("{\"bucket\": \"alpha\", \"exclude\": {\"extensions\": [\"tar/gz\"]}}", 400, "invalid_filter",
                        "exclude.extensions[0] must be at most 32 characters with no '/', was 'tar/gz'"),
                post("{\"bucket\": \"alpha\", \"exclude\": [\"tmp/\"]}", 400, "invalid_field", "field 'exclude' must be a JSON object, was an array"),
                post("{\"bucket\": \"alpha\", \"detectors\": [\"ssn\"]}", 400, "invalid_detector",
                        "detectors: unknown detector 'ssn'; known: aws_access_key_id, aws_secret_access_key, credit_card, us_ssn, email, us_phone"),
                post("{\"bucket\": \"alpha\", \"detectors\": []}", 400, "invalid_detector",
                        "no detector would run: detectors and custom_detectors are both empty"),
                post("{\"bucket\": \"alpha\", \"custom_detectors\": [{\"name\": \"Bad Name\", \"regex\": \"x\"}]}", 400, "invalid_detector",
                        "custom_detectors[0]: custom detector name must be 1-64 characters of [a-z0-9_.-] starting with a letter, was 'Bad Name'"),
                post("{\"bucket\": \"alpha\", \"custom_detectors\": [{\"name\": \"emp\"}]}", 400, "missing_field",
                        "field 'custom_detectors[0].regex' is required"),
                post("{\"bucket\": \"alpha\", \"custom_detectors\": [{\"name\": \"emp\", \"regex\": \"(a+)+$\"}]}", 400, "invalid_regex",
                        "custom_detectors[0].regex can take exponential time to match (catastrophic backtracking): the repetition 'a+' "
                        + "is nested in another repetition and what it repeats can also follow it; make the repetition unambiguous"),
                post("{\"bucket\": \"alpha\", \"custom_detectors\": [{\"name\": \"emp\", \"regex\": \"(?<!x)EMP\"}]}", 400, "invalid_regex",
                        "custom_detectors[0].regex is not a valid RE2 regular expression (invalid named capture); "
                        + "look-around and back-references are not supported"),
                post("{\"bucket\": \"alpha\", \"custom_detectors\": [{\"name\": \"emp\", \"regex\": \"[0-9\"}]}", 400, "invalid_regex",
                        "custom_detectors[0].regex is not a valid RE2 regular expression (missing closing ]); "
                        + "look-around and back-references are not supported"),
                post("{\"bucket\": \"alpha\", \"allow_list\": {\"patterns\": [\"x*\"]}}", 400, "invalid_regex",
                        "allow_list.patterns[0] matches an empty string; it must match at least one character"),
                post("{\"bucket\": \"alpha\", \"custom_detectors\": [{\"name\": \"e\", \"regex\": \"E\", \"maximum_match_distance\": 0}]}",
                        400, "invalid_detector", "custom_detectors[0].maximum_match_distance must be 1-300, was 0"),
                Arguments.of("POST", "/scan?dry_run=true", "{\"bucket\": \"alpha\"}", 400, "invalid_query_parameter",
                        "unknown query parameter 'dry_run'; this endpoint takes none"),
                get("/jobs/not-a-uuid", 400, "invalid_job_id", "the job id in the path " + ID_RULE + "'not-a-uuid'"),
                get("/jobs/1-2-3-4-5", 400, "invalid_job_id", "the job id in the path " + ID_RULE + "'1-2-3-4-5'"),
                get("/jobs/" + UNKNOWN_JOB, 404, "job_not_found", "no job " + UNKNOWN_JOB),
                get("/jobs/" + UNKNOWN_JOB + "?real_time=yes", 400, "invalid_query_parameter",
                        "query parameter 'real_time' must be true or false, was 'yes'"),
                get("/jobs/" + UNKNOWN_JOB + "?real_time=true&real_time=false", 400, "invalid_query_parameter",
                        "query parameter 'real_time' is given more than once"),
                get("/jobs/" + UNKNOWN_JOB + "?verbose=1", 400, "invalid_query_parameter",
                        "unknown query parameter 'verbose'; known: real_time"),
                Arguments.of("DELETE", "/jobs/" + UNKNOWN_JOB, null, 404, "job_not_found", "no job " + UNKNOWN_JOB),
                Arguments.of("DELETE", "/jobs/xyz", null, 400, "invalid_job_id", "the job id in the path " + ID_RULE + "'xyz'"),
                get("/results", 400, "missing_query_parameter", "give job_id or bucket (or both)"),
                get("/results?job_id=" + UNKNOWN_JOB, 404, "job_not_found", "no job " + UNKNOWN_JOB),
                get("/results?job_id=42", 400, "invalid_job_id", "query parameter 'job_id' " + ID_RULE + "'42'"),
                get("/results?bucket=UP", 400, "invalid_bucket_name",
                        "'UP' is not a valid S3 bucket name: the query parameter 'bucket' must be 3 to 63 characters long"),
                get("/results?bucket=alpha&limit=0", 400, "invalid_limit", "query parameter 'limit' must be an integer from 1 to 1000, was '0'"),
                get("/results?bucket=alpha&limit=1001", 400, "invalid_limit", "query parameter 'limit' must be an integer from 1 to 1000, was '1001'"),
                get("/results?bucket=alpha&limit=-5", 400, "invalid_limit", "query parameter 'limit' must be an integer from 1 to 1000, was '-5'"),
                get("/results?bucket=alpha&limit=ten", 400, "invalid_limit", "query parameter 'limit' must be an integer from 1 to 1000, was 'ten'"),
                get("/results?bucket=alpha&cursor=not-a-cursor", 400, "invalid_cursor",
                        "the cursor is not one this API issued; use next_cursor from a previous page as it was returned"),
                get("/results?bucket=alpha&cursor=AQAAAAAAAAACo_ivsjvNR7KY8zIx6zHsO6IbugazMF46", 400, "invalid_cursor",
                        "the cursor has been altered or was issued by another deployment"),
                get("/results?bucket=alpha&key=%FF%FE", 400, "invalid_query_parameter", "query parameter 'key' is not UTF-8 once percent-decoded"),
                get("/results?bucket=alpha&key=a%00b", 400, "invalid_query_parameter",
                        "query parameter 'key' must not contain the NUL character (U+0000)"),
                get("/results?bucket=alpha&detector=Bad!", 400, "invalid_query_parameter", "query parameter 'detector' must be a detector id "
                        + "such as us_ssn or a custom detector name ([a-z][a-z0-9_.-]{0,63}), was 'Bad!'"),
                get("/results?bucket=alpha&page=2", 400, "invalid_query_parameter",
                        "unknown query parameter 'page'; known: bucket, cursor, detector, job_id, key, limit"),
                get("/results?bucket=alpha&bucket=keys", 400, "invalid_query_parameter", "query parameter 'bucket' is given more than once"),
                get("/openapi.json?format=yaml", 400, "invalid_query_parameter", "unknown query parameter 'format'; this endpoint takes none"),
                get("/nope", 404, "route_not_found", "no endpoint at /nope; see GET /openapi.json"),
                get("/jobs/" + UNKNOWN_JOB + "/objects", 404, "route_not_found", "no endpoint at /jobs/" + UNKNOWN_JOB + "/objects; see GET /openapi.json"),
                get("/scan/", 404, "route_not_found", "no endpoint at /scan/; see GET /openapi.json"),
                Arguments.of("PUT", "/scan", "{}", 405, "method_not_allowed", "/scan does not take PUT; allowed: POST"),
                Arguments.of("POST", "/jobs/" + UNKNOWN_JOB, "{}", 405, "method_not_allowed",
                        "/jobs/" + UNKNOWN_JOB + " does not take POST; allowed: GET, DELETE"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @MethodSource("badRequests")
    void badInputIsA4xxWithItsCodeAndMessage(String method, String target, String body, int status, String code, String message) {
        // when
        Reply r = api.send(method, target, body);

        // then
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.json().at("/error/request_id").asText()).isEqualTo(r.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void invalidJsonNamesTheParsersComplaint() {
        // when
        Reply truncated = api.send("POST", "/scan", "{\"bucket\": \"alpha\"");
        Reply duplicate = api.send("POST", "/scan", "{\"bucket\": \"alpha\", \"bucket\": \"keys\"}");
        Reply trailing = api.send("POST", "/scan", "{\"bucket\": \"alpha\"} {}");
        Reply deep = api.send("POST", "/scan", "[".repeat(5000) + "]".repeat(5000));
        Reply binary = api.send("POST", "/scan", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, (byte) 0xC3, 0x28});

        // then
        for (Reply r : new Reply[] {truncated, duplicate, trailing, deep, binary}) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_json");
            assertThat(r.message()).startsWith("the body is not valid JSON: ");
        }
        assertThat(duplicate.message()).isEqualTo("the body is not valid JSON: Duplicate field 'bucket'");
    }

    @Test
    void aBodyOver64KiBIs413() {
        // given
        String body = "{\"bucket\": \"alpha\", \"prefix\": \"" + "a".repeat(65_536) + "\"}";

        // when
        Reply r = api.send("POST", "/scan", body);

        // then
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(r.message()).isEqualTo("the body is 65537 bytes; the limit is 65536 bytes (64 KiB)");
    }

    @Test
    void aBadIdempotencyKeyIs400() {
        // when
        Reply tooLong = api.send("POST", "/scan", "{\"bucket\": \"empty\"}", "Idempotency-Key", "k".repeat(256));
        Reply empty = api.send("POST", "/scan", "{\"bucket\": \"empty\"}", "Idempotency-Key", "\"\"");
        Reply nonAscii = api.sendRaw("POST", "/scan", "Idempotency-Key: k\u00e9y\r\n",
                "{\"bucket\": \"empty\"}".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.code()).isEqualTo("invalid_idempotency_key");
        assertThat(tooLong.message()).isEqualTo("the Idempotency-Key header must be 1 to 255 characters, was 256");
        assertThat(empty.message()).isEqualTo("the Idempotency-Key header must be 1 to 255 characters, was 0");
        assertThat(nonAscii.message()).isEqualTo("the Idempotency-Key header may contain only visible ASCII characters and spaces");
    }

    @Test
    void aMalformedPercentEscapeIsRefusedWithA400() {
        // when: java.net.URI refuses to build it, so it goes over a plain socket
        Reply r = api.sendRaw("GET", "/results?bucket=alpha&key=%ZZ", "", null);

        // then: the JDK server answers before the handler (the handler's own answer, for API Gateway,
        // is checked in the lister's ApiRequestTest)
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void aWrongMethodListsTheAllowedOnes() {
        // when
        Reply r = api.send("PATCH", "/jobs/" + UUID.randomUUID(), "{}");
        Reply head = api.send("HEAD", "/scan", (byte[]) null);

        // then
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, DELETE");
        assertThat(head.status()).isEqualTo(405);
        assertThat(head.header("Allow")).isEqualTo("POST");
        assertThat(head.body()).isEmpty();
    }
}
