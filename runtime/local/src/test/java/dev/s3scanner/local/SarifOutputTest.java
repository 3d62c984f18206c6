package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.s3scanner.core.testing.SampleBucket;
import dev.s3scanner.core.testing.TestDatabase;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code scanner scan examples/sample-bucket --format sarif} and {@code scanner findings JOB
 * --format sarif}: the output is valid against the SARIF 2.1.0 JSON schema and holds the answer
 * key's findings, masked.
 */
class SarifOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static JsonSchema schema;
    private static int scanExit;
    private static String scanOut;
    private static String findingsOut;

    @BeforeAll
    static void scanAsSarif() throws Exception {
        try (InputStream in = SarifOutputTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        db = TestDatabase.create();
        CliRun scan = CliRun.of("scan", SampleBucket.BUCKET.toString(), "--jdbc-url", db.url(), "--no-progress",
                "--format", "sarif");
        scanExit = scan.exit();
        scanOut = scan.out();
        String job = db.scalar("SELECT job_id FROM jobs");
        findingsOut = CliRun.of("findings", job, "--jdbc-url", db.url(), "--format", "sarif").out();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void theScanWritesAValidSarifLogOnStdout() throws Exception {
        // when
        Set<ValidationMessage> errors = schema.validate(JSON.readTree(scanOut));

        // then
        assertThat(scanExit).isZero();
        assertThat(errors).isEmpty();
        JsonNode log = JSON.readTree(scanOut);
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        assertThat(log.path("runs")).hasSize(1);
        assertThat(log.path("runs").get(0).path("tool").path("driver").path("name").asText()).isEqualTo("S3 Scanner");
    }

    @Test
    void theSchemaRejectsALogWithoutItsVersion() throws Exception {
        // given: the scan's log without its required "version"
        ObjectNode log = (ObjectNode) JSON.readTree(scanOut);
        log.remove("version");

        // when
        Set<ValidationMessage> errors = schema.validate(log);

        // then
        assertThat(errors).isNotEmpty();
        assertThat(errors).anySatisfy(e -> assertThat(e.getMessage()).contains("version"));
    }

    @Test
    void resultsAreTheAnswerKeysFindingsWithOneRulePerDetector() throws Exception {
        // given
        Set<String> expected = SampleBucket.expectedFindings();
        Set<String> expectedDetectors = new TreeSet<>();
        expected.forEach(row -> expectedDetectors.add(row.split("\t")[1]));

        // then
        JsonNode run = JSON.readTree(scanOut).path("runs").get(0);
        List<String> ruleIds = new ArrayList<>();
        run.path("tool").path("driver").path("rules").forEach(r -> ruleIds.add(r.path("id").asText()));
        assertThat(ruleIds).containsExactlyElementsOf(expectedDetectors);
        List<String> actual = new ArrayList<>();
        for (JsonNode r : run.path("results")) {
            assertThat(ruleIds.get(r.path("ruleIndex").asInt())).isEqualTo(r.path("ruleId").asText());
            assertThat(r.path("level").asText()).isIn("error", "warning");
            JsonNode location = r.path("locations").get(0).path("physicalLocation");
            String uri = location.path("artifactLocation").path("uri").asText();
            assertThat(uri).startsWith("s3://sample-bucket/");
            String key = URLDecoder.decode(uri.substring("s3://sample-bucket/".length()).replace("+", "%2B"), StandardCharsets.UTF_8);
            String masked = r.path("properties").path("masked").asText();
            assertThat(r.path("message").path("text").asText()).endsWith(": " + masked);
            actual.add(key + "\t" + r.path("ruleId").asText() + "\t" + location.path("region").path("byteOffset").asLong()
                    + "\t" + masked);
        }
        assertThat(actual).hasSize(expected.size());
        assertThat(new TreeSet<>(actual)).isEqualTo(expected);
    }

    @Test
    void theFindingsCommandWritesTheSameLog() {
        // then
        assertThat(findingsOut).isEqualTo(scanOut);
    }

    @Test
    void noRawValueIsInTheLog() throws Exception {
        // given
        Set<String> raw = SampleBucket.rawValues();

        // then
        assertThat(raw).hasSizeGreaterThan(100).noneMatch(scanOut::contains);
    }

    @Test
    void archiveEntriesAndUnusualKeysBecomeEncodedUris() {
        // then
        assertThat(SarifWriter.uri("b", "dir/a b+c.zip", "x/é.csv")).isEqualTo("s3://b/dir/a%20b%2Bc.zip!/x/%C3%A9.csv");
        assertThat(SarifWriter.uri("b", "plain/key.txt", "")).isEqualTo("s3://b/plain/key.txt");
    }
}
