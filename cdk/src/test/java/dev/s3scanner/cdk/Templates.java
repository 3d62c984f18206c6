package dev.s3scanner.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Reads synthesized templates as JSON trees for assertions that Match cannot express. */
final class Templates {
    static final ObjectMapper JSON = new ObjectMapper();

    private Templates() {
    }

    static JsonNode tree(Template t) {
        return JSON.valueToTree(t.toJSON());
    }

    /** @return the resources of {@code type} as (logicalId, resource) pairs */
    static List<Map.Entry<String, JsonNode>> resources(Template t, String type) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        tree(t).get("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.add(Map.entry(e.getKey(), e.getValue()));
            }
        });
        return out;
    }

    /** @return the only resource of {@code type} whose logical id contains {@code idPart} */
    static JsonNode resource(Template t, String type, String idPart) {
        List<JsonNode> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : resources(t, type)) {
            if (e.getKey().contains(idPart)) {
                found.add(e.getValue());
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " with id containing " + idPart + ", found " + found.size());
        }
        return found.get(0);
    }

    /** @return the logical id of the only resource of {@code type} whose id contains {@code idPart} */
    static String logicalId(Template t, String type, String idPart) {
        List<String> ids = resources(t, type).stream().map(Map.Entry::getKey).filter(k -> k.contains(idPart)).toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " with id containing " + idPart + ", found " + ids);
        }
        return ids.get(0);
    }

    /**
     * Parses a Step Functions {@code DefinitionString} ({@code Fn::Join} of strings and tokens),
     * each token rendered as {@code <TOKEN>}.
     */
    static JsonNode stateMachineDefinition(Template t) {
        JsonNode def = resources(t, "AWS::StepFunctions::StateMachine").get(0).getValue()
                .path("Properties").path("DefinitionString");
        StringBuilder sb = new StringBuilder();
        if (def.isTextual()) {
            sb.append(def.asText());
        } else {
            for (JsonNode part : def.path("Fn::Join").get(1)) {
                sb.append(part.isTextual() ? part.asText() : "<TOKEN>");
            }
        }
        try {
            return JSON.readTree(sb.toString());
        } catch (Exception e) {
            throw new AssertionError("definition is not JSON: " + sb, e);
        }
    }

    /** @return every IAM policy statement in AWS::IAM::Policy resources, with the policy's logical id */
    static List<Map.Entry<String, JsonNode>> policyStatements(Template t) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> p : resources(t, "AWS::IAM::Policy")) {
            for (JsonNode s : p.getValue().path("Properties").path("PolicyDocument").path("Statement")) {
                out.add(Map.entry(p.getKey(), s));
            }
        }
        return out;
    }

    static List<String> strings(JsonNode actionOrResource) {
        List<String> out = new ArrayList<>();
        if (actionOrResource.isArray()) {
            actionOrResource.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        } else if (!actionOrResource.isMissingNode()) {
            out.add(actionOrResource.isTextual() ? actionOrResource.asText() : actionOrResource.toString());
        }
        return out;
    }
}
