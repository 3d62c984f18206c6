package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.testing.SampleBucket;
import dev.s3scanner.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code scanner scan examples/sample-bucket --log-format json} at DEBUG, run in-process: every
 * line on stderr is a JSON object, the per-object lines carry {@code job_id} and {@code key}, and
 * no raw value of the sample bucket appears in any line.
 */
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static int exit;
    private static String stdout;
    private static List<String> logLines;

    @BeforeAll
    static void scanWithJsonLogs() {
        db = TestDatabase.create();
        System.setProperty("SCANNER_LOG_LEVEL", "DEBUG");
        CliRun run = CliRun.of("scan", SampleBucket.BUCKET.toString(), "--jdbc-url", db.url(), "--no-progress",
                "--format", "jsonl", "--log-format", "json");
        exit = run.exit();
        stdout = run.out();
        logLines = new ArrayList<>();
        for (String line : run.err().split("\n")) {
            if (!line.isBlank()) {
                logLines.add(line);
            }
        }
    }

    @AfterAll
    static void restoreLoggingAndDrop() throws Exception {
        System.clearProperty("SCANNER_LOG_LEVEL");
        System.clearProperty(LogFormat.VARIABLE);
        System.clearProperty("logback.configurationFile");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
        db.close();
    }

    /** The log lines that are JSON objects (every line, when the test passes). */
    private static List<JsonNode> logObjects() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : logLines) {
            if (line.startsWith("{")) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void everyLogLineIsAJsonObject() throws Exception {
        // then: the summary is not a log line: with jsonl output it goes to stderr as text, so
        // leave out the lines the command prints itself (they do not start with a brace)
        List<String> logs = logLines.stream().filter(l -> l.startsWith("{")).toList();
        assertThat(exit).as(String.join("\n", logLines)).isZero();
        assertThat(logs).hasSizeGreaterThan(38);
        for (String line : logs) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.path("message").isTextual()).as(line).isTrue();
            assertThat(node.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(node.has("@timestamp")).as(line).isTrue();
        }
        assertThat(stdout.lines().filter(l -> !l.isBlank())).hasSize(SampleBucket.expectedFindings().size());
    }

    @Test
    void perObjectLinesCarryTheJobIdAndTheKey() throws Exception {
        // given
        Set<String> keys = SampleBucket.expectedObjects().keySet();

        // then: one DEBUG line per scanned object, each naming its job and key
        List<JsonNode> perObject = logObjects().stream()
                .filter(n -> n.path("logger_name").asText().equals("dev.s3scanner.worker.ScanTaskProcessor")
                        && n.path("message").asText().startsWith("object "))
                .toList();
        assertThat(perObject).extracting(n -> n.path("key").asText()).containsExactlyInAnyOrderElementsOf(keys);
        String jobId = db.scalar("SELECT job_id FROM jobs");
        assertThat(perObject).allSatisfy(n -> assertThat(n.path("job_id").asText()).isEqualTo(jobId));
        assertThat(logObjects().stream().filter(n -> n.path("logger_name").asText().equals("dev.s3scanner.lister.ListBatch")))
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n.path("job_id").asText()).isEqualTo(jobId));
    }

    @Test
    void noRawValueOfTheSampleBucketIsInAnyLogLine() throws Exception {
        // given: the raw values, cut out of the objects at the answer key's offsets
        Set<String> raw = SampleBucket.rawValues();

        // then
        assertThat(raw).hasSizeGreaterThan(100);
        for (String line : logLines) {
            assertThat(raw).as(line).noneMatch(line::contains);
        }
    }
}
