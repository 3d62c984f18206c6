package dev.s3scanner.lister.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.detect.AllowList;
import dev.s3scanner.core.detect.CustomDetector;
import dev.s3scanner.core.detect.DetectionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads what a job detects from {@code POST /scan} ({@code detectors}, {@code custom_detectors},
 * {@code allow_list}) into the core {@link DetectionOptions}, which the worker builds its scanner
 * from and which is stored under {@code options.detection}:
 * <pre>{@code
 * {"enabled_detectors": ["us_ssn", "email"],
 *  "custom_detectors": [{"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"],
 *                        "maximum_match_distance": 50, "ignore_words": []}],
 *  "allow_list": {"values": ["help@example.com"], "patterns": []}}
 * }</pre>
 * The rules are those of Amazon Macie's custom data identifiers and allow lists (see
 * {@link CustomDetector}); on top of them the API rejects regexes that {@link RegexRules} flags
 * (catastrophic backtracking shapes), and bounds the list sizes.
 */
final class Detection {
    /** Most custom detectors per job. */
    static final int MAX_CUSTOM_DETECTORS = 30;

    /** The request fields this reads. */
    static final Set<String> FIELDS = Set.of("detectors", "custom_detectors", "allow_list");
    private static final Set<String> CUSTOM_FIELDS = Set.of("name", "regex", "keywords", "maximum_match_distance",
            "ignore_words");
    private static final Set<String> ALLOW_FIELDS = Set.of("values", "patterns");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Detection() {
    }

    /**
     * Reads and checks the detection fields of a request body.
     *
     * @return the options, or {@code null} when the request gives none of the fields (defaults)
     * @throws ApiException for a wrong type, unknown field ({@code INVALID_FIELD}, {@code UNKNOWN_FIELD}),
     *                      a rule broken ({@code INVALID_DETECTOR}) or a bad regex ({@code INVALID_REGEX})
     */
    static DetectionOptions read(JsonFields body) {
        if (!body.has("detectors") && !body.has("custom_detectors") && !body.has("allow_list")) {
            return null;
        }
        List<String> enabled = body.has("detectors") ? body.strings("detectors", DetectionOptions.BUILT_IN.size()) : null;
        List<CustomDetector> custom = new ArrayList<>();
        for (JsonFields c : body.objects("custom_detectors", MAX_CUSTOM_DETECTORS, CUSTOM_FIELDS)) {
            String regex = c.requiredString("regex");
            RegexRules.check(c.path("regex"), regex);
            Long distance = c.integer("maximum_match_distance");
            if (distance != null && (distance < 1 || distance > 300)) {
                throw invalid(c.path("maximum_match_distance") + " must be 1-300, was " + distance);
            }
            String at = c.path("name").substring(0, c.path("name").length() - ".name".length());
            custom.add(build(at, () -> new CustomDetector(c.requiredString("name"), regex, c.strings("keywords", 50),
                    distance == null ? null : distance.intValue(), c.strings("ignore_words", 10))));
        }
        AllowList allow = null;
        JsonFields allowFields = body.object("allow_list", ALLOW_FIELDS);
        if (allowFields != null) {
            List<String> values = allowFields.strings("values", 10_000);
            List<String> patterns = allowFields.strings("patterns", 100);
            for (int i = 0; i < patterns.size(); i++) {
                RegexRules.check(allowFields.path("patterns") + "[" + i + "]", patterns.get(i));
            }
            allow = build(allowFields.path("values").replace(".values", ""), () -> new AllowList(values, patterns));
        }
        AllowList allowList = allow;
        return build(null, () -> new DetectionOptions(enabled, custom, allowList));
    }

    /** Runs a core constructor, turning its rule violations into 400 {@code invalid_detector}. */
    /**
     * Runs a core constructor, turning its rule violations into 400 {@code invalid_detector}
     * messages that name the request field ({@code at}, e.g. {@code custom_detectors[2]}).
     */
    private static <T> T build(String at, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            // the request calls the built-in list "detectors"
            String message = e.getMessage().replace("enabled_detectors", "detectors");
            throw invalid(at == null ? message : at + ": " + message);
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_DETECTOR, message);
    }

    /** The options as stored under {@code options.detection}. */
    static ObjectNode toJson(DetectionOptions options) {
        return JSON.valueToTree(options);
    }
}
