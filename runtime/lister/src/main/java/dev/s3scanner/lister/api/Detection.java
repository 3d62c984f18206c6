package dev.s3scanner.lister.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.detect.DetectorId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a job detects, as {@code POST /scan} takes it ({@code detectors}, {@code custom_detectors},
 * {@code allow_list}) and as it is stored under {@code options.detection} in the shape of
 * {@code dev.s3scanner.core.detect.DetectionOptions}:
 * <pre>{@code
 * {"enabled_detectors": ["us_ssn", "email"],
 *  "custom_detectors": [{"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"],
 *                        "maximum_match_distance": 50, "ignore_words": []}],
 *  "allow_list": {"values": ["help@example.com"], "patterns": []}}
 * }</pre>
 * The rules are those of Amazon Macie's custom data identifiers and allow lists (see
 * {@link CustomDetector}); regexes are checked by {@link RegexRules}.
 *
 * @param enabledDetectors built-in detector ids to run, each once; an empty list runs only the custom detectors
 * @param customDetectors  the job's regex detectors, names unique
 * @param allowValues      literal values not to report (1–512 characters each, at most 10,000)
 * @param allowPatterns    regexes whose whole-text matches are not reported (at most 100)
 */
public record Detection(List<String> enabledDetectors, List<CustomDetector> customDetectors, List<String> allowValues,
                        List<String> allowPatterns) {

    /** The built-in detector ids. */
    public static final List<String> BUILT_IN = List.of(DetectorId.AWS_ACCESS_KEY_ID, DetectorId.AWS_SECRET_ACCESS_KEY,
            DetectorId.CREDIT_CARD, DetectorId.US_SSN, DetectorId.EMAIL, DetectorId.US_PHONE);
    /** Most custom detectors per job. */
    public static final int MAX_CUSTOM_DETECTORS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A custom regex detector (Amazon Macie's custom data identifier terms).
     *
     * @param name                 1–64 characters of {@code [a-z0-9_.-]} starting with a letter, not a built-in id
     * @param regex                the pattern ({@link RegexRules})
     * @param keywords             0–50 words of 3–90 characters; when given, one must occur within
     *                             {@code maximumMatchDistance} characters before the match
     * @param maximumMatchDistance 1–300, default 50
     * @param ignoreWords          0–10 words of 4–90 characters; a match containing one is not reported
     */
    public record CustomDetector(String name, String regex, List<String> keywords, int maximumMatchDistance,
                                 List<String> ignoreWords) {
    }

    /** The request fields this reads. */
    static final Set<String> FIELDS = Set.of("detectors", "custom_detectors", "allow_list");
    private static final Set<String> CUSTOM_FIELDS = Set.of("name", "regex", "keywords", "maximum_match_distance",
            "ignore_words");
    private static final Set<String> ALLOW_FIELDS = Set.of("values", "patterns");

    /**
     * Reads and checks the detection fields of a request body.
     *
     * @return the detection, or {@code null} when the request gives none of the fields (defaults)
     * @throws ApiException for a wrong type, unknown field ({@code INVALID_FIELD}, {@code UNKNOWN_FIELD}),
     *                      a rule broken ({@code INVALID_DETECTOR}) or a bad regex ({@code INVALID_REGEX})
     */
    static Detection read(JsonFields body) {
        if (!body.has("detectors") && !body.has("custom_detectors") && !body.has("allow_list")) {
            return null;
        }
        List<String> enabled = body.has("detectors") ? body.strings("detectors", BUILT_IN.size()) : BUILT_IN;
        Set<String> seen = new HashSet<>();
        for (String id : enabled) {
            if (!BUILT_IN.contains(id)) {
                throw invalid("detectors: unknown detector '" + id + "'; known: " + String.join(", ", BUILT_IN));
            }
            if (!seen.add(id)) {
                throw invalid("detectors: '" + id + "' is listed twice");
            }
        }
        List<JsonFields> customs = body.objects("custom_detectors", MAX_CUSTOM_DETECTORS, CUSTOM_FIELDS);
        List<CustomDetector> custom = new java.util.ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonFields c : customs) {
            CustomDetector d = customDetector(c);
            if (!names.add(d.name())) {
                throw invalid(c.path("name") + ": custom detector name '" + d.name() + "' is used twice");
            }
            custom.add(d);
        }
        if (enabled.isEmpty() && custom.isEmpty()) {
            throw invalid("no detector would run: detectors is empty and there are no custom_detectors");
        }
        List<String> values = List.of();
        List<String> patterns = List.of();
        JsonFields allow = body.object("allow_list", ALLOW_FIELDS);
        if (allow != null) {
            values = allow.strings("values", 10_000);
            for (int i = 0; i < values.size(); i++) {
                int n = values.get(i).length();
                if (n < 1 || n > 512) {
                    throw invalid(allow.path("values") + "[" + i + "] must be 1-512 characters, was " + n);
                }
            }
            patterns = allow.strings("patterns", 100);
            for (int i = 0; i < patterns.size(); i++) {
                RegexRules.check(allow.path("patterns") + "[" + i + "]", patterns.get(i));
            }
        }
        return new Detection(List.copyOf(enabled), List.copyOf(custom), values, patterns);
    }

    private static CustomDetector customDetector(JsonFields c) {
        String name = c.requiredString("name");
        if (!name.matches("[a-z][a-z0-9_.-]{0,63}")) {
            throw invalid(c.path("name") + " must be 1-64 characters of [a-z0-9_.-] starting with a letter, was '"
                    + name + "'");
        }
        if (BUILT_IN.contains(name)) {
            throw invalid(c.path("name") + " '" + name + "' is the id of a built-in detector");
        }
        String regex = c.requiredString("regex");
        RegexRules.check(c.path("regex"), regex);
        List<String> keywords = c.strings("keywords", 50);
        for (int i = 0; i < keywords.size(); i++) {
            int n = keywords.get(i).length();
            if (n < 3 || n > 90) {
                throw invalid(c.path("keywords") + "[" + i + "] must be 3-90 characters, was " + n);
            }
        }
        Long distance = c.integer("maximum_match_distance");
        if (distance != null && (distance < 1 || distance > 300)) {
            throw invalid(c.path("maximum_match_distance") + " must be 1-300, was " + distance);
        }
        int maximumMatchDistance = distance == null ? 50 : distance.intValue();
        List<String> ignore = c.strings("ignore_words", 10);
        for (int i = 0; i < ignore.size(); i++) {
            int n = ignore.get(i).length();
            if (n < 4 || n > 90) {
                throw invalid(c.path("ignore_words") + "[" + i + "] must be 4-90 characters, was " + n);
            }
        }
        return new CustomDetector(name, regex, List.copyOf(keywords), maximumMatchDistance, List.copyOf(ignore));
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_DETECTOR, message);
    }

    /** This detection as stored under {@code options.detection}. */
    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode enabled = n.putArray("enabled_detectors");
        enabledDetectors.forEach(enabled::add);
        ArrayNode customs = n.putArray("custom_detectors");
        for (CustomDetector d : customDetectors) {
            ObjectNode c = customs.addObject();
            c.put("name", d.name());
            c.put("regex", d.regex());
            d.keywords().forEach(c.putArray("keywords")::add);
            c.put("maximum_match_distance", d.maximumMatchDistance());
            d.ignoreWords().forEach(c.putArray("ignore_words")::add);
        }
        ObjectNode allow = n.putObject("allow_list");
        allowValues.forEach(allow.putArray("values")::add);
        allowPatterns.forEach(allow.putArray("patterns")::add);
        return n;
    }
}
