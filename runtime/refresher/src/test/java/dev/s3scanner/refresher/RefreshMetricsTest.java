package dev.s3scanner.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The refresh function prints an Embedded Metric Format document per invocation on stdout. */
class RefreshMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(2);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    interface Invocation {
        void run() throws Exception;
    }

    /** The EMF documents {@code call} printed on stdout (whatever it threw). */
    private static List<JsonNode> emfPrintedBy(Invocation call) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } catch (IllegalStateException expected) {
            // a failed refresh fails the invocation; its metrics are printed first
        } finally {
            System.setOut(original);
        }
        List<JsonNode> docs = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                docs.add(JSON.readTree(line));
            }
        }
        return docs;
    }

    private static Map<String, String> definitions(JsonNode doc) {
        JsonNode directive = doc.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("S3Scanner");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
        assertThat(doc.path("Service").asText()).isEqualTo("s3scanner-refresher");
        Map<String, String> out = new TreeMap<>();
        for (JsonNode m : directive.path("Metrics")) {
            out.put(m.path("Name").asText(), m.path("Unit").asText());
        }
        return out;
    }

    private static void invoke(RefreshHandler handler) throws Exception {
        handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }

    @Test
    void aRefreshPrintsItsDurationAndZeroFailures() throws Exception {
        // given
        RefreshHandler handler = new RefreshHandler(new ProgressViewRefresher(db.dataSource(), Duration.ofSeconds(30)),
                RefreshHandler.metrics(Env.of(Map.of())));

        // when
        List<JsonNode> docs = emfPrintedBy(() -> invoke(handler));

        // then
        assertThat(docs).hasSize(1);
        assertThat(definitions(docs.get(0)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("RefreshDuration", "Milliseconds", "RefreshFailures", "Count"));
        assertThat(docs.get(0).path("RefreshFailures").asDouble()).isZero();
        assertThat(docs.get(0).path("RefreshDuration").asDouble()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aFailedRefreshPrintsOneFailureAndFailsTheInvocation() throws Exception {
        // given: a database that cannot be reached
        PGSimpleDataSource unreachable = new PGSimpleDataSource();
        unreachable.setURL("jdbc:postgresql://127.0.0.1:1/scanner?connectTimeout=2");
        RefreshHandler handler = new RefreshHandler(new ProgressViewRefresher(unreachable, Duration.ofSeconds(30)),
                RefreshHandler.metrics(Env.of(Map.of())));

        // when
        List<JsonNode> docs = emfPrintedBy(() -> invoke(handler));

        // then
        assertThatThrownBy(() -> invoke(handler)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("job_progress refresh failed: ");
        assertThat(docs).hasSize(1);
        assertThat(definitions(docs.get(0))).containsExactlyEntriesOf(Map.of("RefreshFailures", "Count"));
        assertThat(docs.get(0).path("RefreshFailures").asDouble()).isEqualTo(1.0);
    }
}
