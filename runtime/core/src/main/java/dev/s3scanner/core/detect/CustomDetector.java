package dev.s3scanner.core.detect;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A job's own regex detector, modelled on Amazon Macie's
 * <a href="https://docs.aws.amazon.com/macie/latest/user/cdis-options.html">custom data identifiers</a>.
 *
 * <p><b>Which patterns are accepted.</b> A pattern comes from a user, so it is checked before it is
 * ever run, and rejected with an {@link IllegalArgumentException} naming the rule:
 * <ol>
 *   <li>1 to 512 characters (Macie's limit);</li>
 *   <li>RE2 syntax, compiled by RE2/J ({@code com.google.re2j}), whose matching time is linear in the
 *       input whatever the pattern, so there is no catastrophic backtracking to guard against (the
 *       price: no look-around and no back-references; {@code \b} works);</li>
 *   <li>counted repetitions multiplied through nested groups must expand to at most 5,000
 *       instructions, checked before compiling ({@code ((a{1000}){1000}){1000}} would exhaust the
 *       heap inside RE2/J's compiler), and the compiled program must be at most 5,000 instructions,
 *       which bounds the work per input byte;</li>
 *   <li>the pattern must not match an empty string (that would be a finding at every position).</li>
 * </ol>
 * Allow-list patterns follow the same rules.
 *
 * <p>JSON (snake_case, as stored in {@code jobs} and sent through the API):
 * <pre>{@code {"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"],
 *  "maximum_match_distance": 50, "ignore_words": ["EMP-000000"]}}</pre>
 *
 * @param name                 the detector id stored with each finding: 1–64 characters of
 *                             {@code [a-z0-9_.-]} starting with a letter, not a built-in id
 * @param regex                the pattern, under the rules above. It is matched
 *                             against the text with every byte one character for UTF-8, Latin-1 and
 *                             CP1252 content (UTF-8 sequences are decoded, other non-ASCII bytes
 *                             match nothing but {@code [^…]} and {@code .}); write it for values of at
 *                             most 256 bytes: longer matches are not reported
 * @param keywords             optional: 0–50 words of 3–90 characters; when any are given, a match
 *                             counts only if one of them (any ASCII case) ends before the match and at
 *                             most {@code maximumMatchDistance} characters before the match's end.
 *                             Default: empty
 * @param maximumMatchDistance 1–300 characters, Macie's term; default 50
 * @param ignoreWords          optional: 0–10 words of 4–90 characters; a match containing one of them
 *                             (case sensitive) is not reported. Default: empty
 * @throws IllegalArgumentException when a value breaks the rules above; the message names the field
 */
public record CustomDetector(
        @JsonProperty("name") String name,
        @JsonProperty("regex") String regex,
        @JsonProperty("keywords") List<String> keywords,
        @JsonProperty("maximum_match_distance") Integer maximumMatchDistance,
        @JsonProperty("ignore_words") List<String> ignoreWords) {

    /** Macie's default {@code maximumMatchDistance}. */
    public static final int DEFAULT_MAXIMUM_MATCH_DISTANCE = 50;

    public CustomDetector {
        if (name == null || !name.matches("[a-z][a-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("custom detector name must be 1-64 characters of [a-z0-9_.-] starting with a letter, was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (BuiltInScan.kind(name) != 0) {
            throw new IllegalArgumentException("custom detector name '" + name + "' is the id of a built-in detector");
        }
        UserRegex.compile("custom detector '" + name + "' regex", regex, 0);
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
        if (keywords.size() > 50) {
            throw new IllegalArgumentException("custom detector '" + name + "' has " + keywords.size() + " keywords; the limit is 50");
        }
        for (String k : keywords) {
            if (k == null || k.length() < 3 || k.length() > 90) {
                throw new IllegalArgumentException("custom detector '" + name + "' keyword must be 3-90 characters, was "
                        + (k == null ? "null" : "'" + k + "'"));
            }
        }
        if (maximumMatchDistance == null) {
            maximumMatchDistance = DEFAULT_MAXIMUM_MATCH_DISTANCE;
        }
        if (maximumMatchDistance < 1 || maximumMatchDistance > 300) {
            throw new IllegalArgumentException("custom detector '" + name + "' maximum_match_distance must be 1-300, was "
                    + maximumMatchDistance);
        }
        ignoreWords = ignoreWords == null ? List.of() : List.copyOf(ignoreWords);
        if (ignoreWords.size() > 10) {
            throw new IllegalArgumentException("custom detector '" + name + "' has " + ignoreWords.size()
                    + " ignore words; the limit is 10");
        }
        for (String w : ignoreWords) {
            if (w == null || w.length() < 4 || w.length() > 90) {
                throw new IllegalArgumentException("custom detector '" + name + "' ignore word must be 4-90 characters, was "
                        + (w == null ? "null" : "'" + w + "'"));
            }
        }
    }

    /** A detector with only a name and a pattern. */
    public static CustomDetector of(String name, String regex) {
        return new CustomDetector(name, regex, null, null, null);
    }

    /** This detector with keywords and a maximum match distance. */
    public CustomDetector withKeywords(List<String> keywords, int maximumMatchDistance) {
        return new CustomDetector(name, regex, keywords, maximumMatchDistance, ignoreWords);
    }

    /** This detector with ignore words. */
    public CustomDetector withIgnoreWords(List<String> ignoreWords) {
        return new CustomDetector(name, regex, keywords, maximumMatchDistance, ignoreWords);
    }

    /** The runtime detector for this definition. */
    public Detector toDetector() {
        return new RegexDetector(this);
    }

    static void checkUniqueNames(List<CustomDetector> detectors) {
        Set<String> seen = new HashSet<>();
        for (CustomDetector d : detectors) {
            Objects.requireNonNull(d, "custom_detectors must not contain null");
            if (!seen.add(d.name())) {
                throw new IllegalArgumentException("custom detector name '" + d.name() + "' is used twice");
            }
        }
    }
}
