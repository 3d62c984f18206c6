package dev.s3scanner.core.detect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * Values a job does not want reported, modelled on Amazon Macie's
 * <a href="https://docs.aws.amazon.com/macie/latest/user/allow-lists.html">allow lists</a>. It
 * applies to built-in and custom detectors alike.
 *
 * <p>JSON: {@code {"values": ["4111 1111 1111 1111", "help@example.com"], "patterns": ["[0-9]{3}-555-01[0-9]{2}"]}}
 *
 * @param values   literal values (at most 10,000, each 1–512 characters): a match whose text equals one
 *                 of them, ignoring case, is not reported. For card, SSN and phone matches the
 *                 comparison is also made with spaces, dashes, dots, parentheses and {@code +} removed
 *                 from both sides, so {@code 4111111111111111} also allows {@code 4111-1111-1111-1111}.
 *                 Default: empty
 * @param patterns RE2 patterns (at most 100), under the same rules as a custom detector's regex
 *                 ({@link CustomDetector}); a match whose whole text matches one of them is not reported.
 *                 Default: empty
 * @throws IllegalArgumentException when a value or pattern breaks those rules
 */
public record AllowList(@JsonProperty("values") List<String> values, @JsonProperty("patterns") List<String> patterns) {

    /** An allow list that allows nothing. */
    public static final AllowList EMPTY = new AllowList(List.of(), List.of());

    public AllowList {
        values = values == null ? List.of() : List.copyOf(values);
        patterns = patterns == null ? List.of() : List.copyOf(patterns);
        if (values.size() > 10_000) {
            throw new IllegalArgumentException("allow_list.values has " + values.size() + " entries; the limit is 10000");
        }
        for (String v : values) {
            if (v == null || v.isEmpty() || v.length() > 512) {
                throw new IllegalArgumentException("allow_list.values entries must be 1-512 characters, was "
                        + (v == null ? "null" : v.length() + " characters"));
            }
        }
        if (patterns.size() > 100) {
            throw new IllegalArgumentException("allow_list.patterns has " + patterns.size() + " entries; the limit is 100");
        }
        for (int i = 0; i < patterns.size(); i++) {
            UserRegex.compile("allow_list.patterns[" + i + "]", Objects.requireNonNull(patterns.get(i), "allow_list.patterns entry"), 0);
        }
    }

    /** Whether nothing is allowed. */
    @JsonIgnore
    public boolean isEmpty() {
        return values.isEmpty() && patterns.isEmpty();
    }
}
