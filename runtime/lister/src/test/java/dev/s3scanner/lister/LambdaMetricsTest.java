package dev.s3scanner.lister;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.queue.DeadLetterProcessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The Lambda functions' metrics: an invocation prints one Embedded Metric Format document on
 * stdout (as Lambda's log agent reads it) with the metrics named in the contract.
 */
class LambdaMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ListerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ListerFixture();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** Runs {@code call} with stdout captured; returns the EMF documents it printed. */
    private static List<JsonNode> emfPrintedBy(ThrowingRunnable call) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
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

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * {@code name -> unit} of an EMF document's metric definitions, checked to be in
     * {@code namespace} with the one dimension Service.
     */
    private static Map<String, String> definitions(JsonNode doc, String namespace) {
        JsonNode directive = doc.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo(namespace);
        assertThat(doc.path("_aws").path("Timestamp").asLong()).isPositive();
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode m : directive.path("Metrics")) {
            out.put(m.path("Name").asText(), m.path("Unit").asText());
        }
        return out;
    }

    @Test
    void aListStepPrintsObjectsListedAndPagesListed() throws Exception {
        // given: three pages of 4 keys, listed in one step
        ScriptedListing s3 = ScriptedListing.generated(3, p -> List.of("a" + p, "b" + p, "c" + p, "d" + p));
        UUID job = fx.job("emf-bucket", "");
        ListBatchHandler handler = new ListBatchHandler(fx.batch(s3, fx.queue(), 4, 10),
                LambdaMetrics.create(Env.of(Map.of("POWERTOOLS_METRICS_NAMESPACE", "ScannerEmfTest",
                        "POWERTOOLS_SERVICE_NAME", "lister-under-test"))));
        String input = "{\"job_id\":\"" + job + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false}";

        // when
        List<JsonNode> docs = emfPrintedBy(() -> handler.handleRequest(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null));

        // then
        assertThat(docs).hasSize(1);
        assertThat(definitions(docs.get(0), "ScannerEmfTest"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("ObjectsListed", "Count", "PagesListed", "Count"));
        assertThat(docs.get(0).path("Service").asText()).isEqualTo("lister-under-test");
        assertThat(docs.get(0).path("ObjectsListed").asDouble()).isEqualTo(12.0);
        assertThat(docs.get(0).path("PagesListed").asDouble()).isEqualTo(3.0);
    }

    @Test
    void theDeadLetterHandlerPrintsObjectsDeadLettered() throws Exception {
        // given: a job listed into scan tasks, whose messages then reach the dead-letter queue
        ScriptedListing s3 = ScriptedListing.generated(1, p -> List.of("x/1", "x/2", "x/3", "x/4", "x/5"));
        String queue = fx.queue();
        UUID job = fx.job("dlq-bucket", "");
        ListerFixture.runToEnd(fx.batch(s3, queue, 1000, 1), job);
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        List<Message> got;
        while (!(got = fx.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages()).isEmpty()) {
            for (Message m : got) {
                SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
                r.setMessageId(m.messageId());
                r.setBody(m.body());
                r.setAttributes(Map.of("ApproximateReceiveCount", "5"));
                records.add(r);
            }
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        DeadLetterHandler handler = new DeadLetterHandler(new DeadLetterProcessor(fx.store), LambdaMetrics.create(Env.of(Map.of())));

        // when
        SQSBatchResponse[] response = new SQSBatchResponse[1];
        List<JsonNode> docs = emfPrintedBy(() -> response[0] = handler.handleRequest(event, null));

        // then
        assertThat(response[0].getBatchItemFailures()).isEmpty();
        assertThat(docs).hasSize(1);
        assertThat(definitions(docs.get(0), "S3Scanner")).containsExactlyEntriesOf(Map.of("ObjectsDeadLettered", "Count"));
        assertThat(docs.get(0).path("Service").asText()).isEqualTo("s3scanner-lister");
        assertThat(docs.get(0).path("ObjectsDeadLettered").asDouble()).isEqualTo(5.0);
    }
}
