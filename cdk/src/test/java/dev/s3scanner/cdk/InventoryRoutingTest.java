package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Jobs created with {@code "source": "inventory"} are listed by the inventory reader: with
 * inventory mode on (enterprise tier) the listing state machine chooses on the execution input's
 * {@code source}; with it off (small tier) there is neither the choice nor the function.
 */
class InventoryRoutingTest {

    private static Template enterprise;
    private static Template small;

    @BeforeAll
    static void synth() {
        enterprise = Synth.tier(ScaleTier.ENTERPRISE).template();
        small = Synth.tier(ScaleTier.SMALL).template();
    }

    @Test
    void withInventoryModeTheMachineStartsByChoosingOnTheSource() {
        // when
        JsonNode def = Templates.stateMachineDefinition(enterprise);
        JsonNode source = def.path("States").path("Source?");

        // then: a missing source is never compared (an execution handed off by an older definition)
        assertThat(def.path("StartAt").asText()).isEqualTo("Source?");
        assertThat(source.path("Type").asText()).isEqualTo("Choice");
        JsonNode choices = source.path("Choices");
        assertThat(choices).hasSize(2);
        assertThat(choices.get(0).path("Variable").asText()).isEqualTo("$.source");
        assertThat(choices.get(0).path("IsPresent").asBoolean(true)).isFalse();
        assertThat(choices.get(0).path("Next").asText()).isEqualTo("Start");
        assertThat(choices.get(1).path("Variable").asText()).isEqualTo("$.source");
        assertThat(choices.get(1).path("StringEquals").asText()).isEqualTo("inventory");
        assertThat(choices.get(1).path("Next").asText()).isEqualTo("StartInventory");
        assertThat(source.path("Default").asText()).isEqualTo("Start");
    }

    @Test
    void theInventoryLoopInvokesTheInventoryReaderWithTheListBatchState() {
        // given
        String fn = Templates.logicalId(enterprise, "AWS::Lambda::Function", "InventoryBatchFunction");

        // when
        JsonNode states = Templates.stateMachineDefinition(enterprise).path("States");
        JsonNode task = states.path("InventoryBatch");

        // then
        assertThat(states.path("StartInventory").path("Next").asText()).isEqualTo("InventoryBatch");
        assertThat(fieldNames(states.path("StartInventory").path("Parameters")))
                .containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration.$", "done");
        assertThat(fieldNames(task.path("Parameters").path("Payload")))
                .containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration.$", "done.$");
        assertThat(fieldNames(task.path("ResultSelector")))
                .containsExactly("job_id.$", "token.$", "pages.$", "listed.$", "iteration.$", "done.$");
        assertThat(task.path("Next").asText()).isEqualTo("InventoryListed?");
        assertThat(states.path("InventoryListed?").path("Default").asText()).isEqualTo("InventoryBatch");
        assertThat(states.path("InventoryListed?").path("Choices").get(0).path("Next").asText()).isEqualTo("Listed");
        assertThat(states.path("InventoryListed?").path("Choices").get(1).path("Next").asText()).isEqualTo("InventoryHandOff");
        String definition = Templates.resources(enterprise, "AWS::StepFunctions::StateMachine").get(0).getValue()
                .path("Properties").path("DefinitionString").toString();
        assertThat(definition).contains(fn);
    }

    @Test
    void aBrokenReportIsNotRetriedButStillMarksTheJobFailed() {
        // when
        JsonNode task = Templates.stateMachineDefinition(enterprise).path("States").path("InventoryBatch");
        List<String> retried = new ArrayList<>();
        task.path("Retry").forEach(r -> retried.add(r.path("ErrorEquals").get(0).asText() + "x" + r.path("MaxAttempts").asInt()));

        // then: retriers are tried in order, so InventoryException stops before States.ALL
        assertThat(retried).containsSubsequence("dev.s3scanner.inventory.InventoryExceptionx0", "States.ALLx2");
        JsonNode lastCatch = task.path("Catch").get(task.path("Catch").size() - 1);
        assertThat(lastCatch.path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
        assertThat(lastCatch.path("Next").asText()).isEqualTo("ListFailure");
    }

    @Test
    void eachHandOffKeepsItsSource() {
        // when
        JsonNode states = Templates.stateMachineDefinition(enterprise).path("States");

        // then
        assertThat(states.path("InventoryHandOff").path("Parameters").path("Input").path("source").asText()).isEqualTo("inventory");
        assertThat(states.path("HandOff").path("Parameters").path("Input").path("source").asText()).isEqualTo("list");
        assertThat(states.path("InventoryHandOff").path("Parameters").path("Name.$").asText())
                .isEqualTo("States.Format('{}-{}', $.job_id, $.pages)");
    }

    @Test
    void theInventoryFunctionReadsTheReportsAndTheListFunctionDoesNot() {
        // given
        String reports = Templates.logicalId(enterprise, "AWS::S3::Bucket", "ReportsBucket");

        // when
        List<JsonNode> inventoryReads = statements(enterprise, "InventoryBatchFunctionServiceRoleDefaultPolicy");
        List<JsonNode> listReads = statements(enterprise, "ListBatchFunctionServiceRoleDefaultPolicy");

        // then
        enterprise.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.s3scanner.inventory.InventoryBatchHandler::handleRequest", "Timeout", 600));
        assertThat(inventoryReads.stream().filter(s -> Templates.strings(s.path("Action")).contains("s3:GetObject")).toList())
                .singleElement().satisfies(s -> assertThat(s.path("Resource").toString())
                        .isEqualTo("{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":[\"" + reports + "\",\"Arn\"]},\"/*\"]]}"));
        assertThat(inventoryReads.stream().flatMap(s -> Templates.strings(s.path("Action")).stream()))
                .contains("sqs:SendMessage");
        assertThat(listReads.toString()).doesNotContain(reports);
        Map<String, String> env = ObservabilityTest.functionEnvironment(enterprise, "InventoryBatchFunction");
        assertThat(env).containsKeys("SCANNER_DB_SECRET_ARN", "SCANNER_QUEUE_URL", "SCANNER_INVENTORY_BUCKET")
                .containsEntry("POWERTOOLS_SERVICE_NAME", "s3scanner-lister");
    }

    @Test
    void withoutInventoryModeThereIsNoChoiceAndNoInventoryFunction() {
        // when
        JsonNode def = Templates.stateMachineDefinition(small);

        // then
        assertThat(def.path("StartAt").asText()).isEqualTo("Start");
        assertThat(fieldNames(def.path("States"))).doesNotContain("Source?", "StartInventory", "InventoryBatch");
        assertThat(Templates.resources(small, "AWS::Lambda::Function").stream()
                .map(e -> e.getValue().path("Properties").path("Handler").asText()))
                .doesNotContain("dev.s3scanner.inventory.InventoryBatchHandler::handleRequest");
    }

    private static List<JsonNode> statements(Template t, String policyIdPart) {
        return Templates.policyStatements(t).stream().filter(e -> e.getKey().contains(policyIdPart))
                .map(Map.Entry::getValue).toList();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
