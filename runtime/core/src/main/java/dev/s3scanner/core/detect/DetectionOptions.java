package dev.s3scanner.core.detect;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one job detects: which built-in detectors run, the job's own regex detectors and its allow
 * list. Immutable; serialises with Jackson to the JSON stored in {@code jobs.detection_options}
 * (jsonb) and accepted by {@code POST /scan}:
 * <pre>{@code
 * {"enabled_detectors": ["us_ssn", "credit_card", "aws_access_key_id", "aws_secret_access_key", "email", "us_phone"],
 *  "custom_detectors": [{"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"],
 *                        "maximum_match_distance": 50, "ignore_words": []}],
 *  "allow_list": {"values": ["help@example.com"], "patterns": []}}
 * }</pre>
 * A missing (or {@code null}) field takes its default: every built-in detector, no custom
 * detectors, an empty allow list. Unknown fields are rejected by Jackson's default
 * {@code FAIL_ON_UNKNOWN_PROPERTIES}. Build a scanner with {@link ContentScanner#forOptions}.
 *
 * @param enabledDetectors built-in detector ids ({@link DetectorId}) to run, each at most once; an
 *                         empty list runs only the custom detectors. Default: all of {@link #BUILT_IN}
 * @param customDetectors  the job's regex detectors, names unique. Default: none
 * @param allowList        values and patterns not to report. Default: {@link AllowList#EMPTY}
 * @throws IllegalArgumentException when an id is unknown or repeated, no detector at all would run,
 *                                  or a custom detector or allow-list entry is invalid; the message
 *                                  names the field and the rule
 */
public record DetectionOptions(
        @JsonProperty("enabled_detectors") List<String> enabledDetectors,
        @JsonProperty("custom_detectors") List<CustomDetector> customDetectors,
        @JsonProperty("allow_list") AllowList allowList) {

    /** The built-in detector ids, in overlap priority order. */
    public static final List<String> BUILT_IN = List.of(DetectorId.AWS_ACCESS_KEY_ID, DetectorId.AWS_SECRET_ACCESS_KEY,
            DetectorId.CREDIT_CARD, DetectorId.US_SSN, DetectorId.EMAIL, DetectorId.US_PHONE);

    public DetectionOptions {
        enabledDetectors = enabledDetectors == null ? BUILT_IN : List.copyOf(enabledDetectors);
        Set<String> seen = new HashSet<>();
        for (String id : enabledDetectors) {
            if (!BUILT_IN.contains(id)) {
                throw new IllegalArgumentException("enabled_detectors: unknown detector '" + id + "'; known: "
                        + String.join(", ", BUILT_IN));
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("enabled_detectors: '" + id + "' is listed twice");
            }
        }
        customDetectors = customDetectors == null ? List.of() : List.copyOf(customDetectors);
        CustomDetector.checkUniqueNames(customDetectors);
        if (enabledDetectors.isEmpty() && customDetectors.isEmpty()) {
            throw new IllegalArgumentException("no detector would run: enabled_detectors and custom_detectors are both empty");
        }
        allowList = allowList == null ? AllowList.EMPTY : allowList;
    }

    /** Every built-in detector, nothing custom, nothing allowed. */
    public static DetectionOptions defaults() {
        return new DetectionOptions(null, null, null);
    }

    /** Only the given built-in detectors. */
    public static DetectionOptions only(String... detectorIds) {
        return new DetectionOptions(List.of(detectorIds), null, null);
    }

    /** These options with custom detectors. */
    public DetectionOptions withCustomDetectors(List<CustomDetector> detectors) {
        return new DetectionOptions(enabledDetectors, detectors, allowList);
    }

    /** These options with an allow list. */
    public DetectionOptions withAllowList(AllowList list) {
        return new DetectionOptions(enabledDetectors, customDetectors, list);
    }
}
