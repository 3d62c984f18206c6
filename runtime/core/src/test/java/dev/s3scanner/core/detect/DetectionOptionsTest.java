package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectionOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CustomDetector EMPLOYEE = CustomDetector.of("employee_id", "EMP-[0-9]{6}");

    @Test
    void defaultsSerialiseToSnakeCaseJson() throws Exception {
        // when
        String json = JSON.writeValueAsString(DetectionOptions.defaults());
        // then
        assertThat(json).isEqualTo("{\"enabled_detectors\":[\"aws_access_key_id\",\"aws_secret_access_key\",\"credit_card\","
                + "\"us_ssn\",\"email\",\"us_phone\"],\"custom_detectors\":[],\"allow_list\":{\"values\":[],\"patterns\":[]}}");
    }

    @Test
    void anEmptyJsonObjectMeansTheDefaults() throws Exception {
        // when / then
        assertThat(JSON.readValue("{}", DetectionOptions.class)).isEqualTo(DetectionOptions.defaults());
    }

    @Test
    void roundTripsAFullConfiguration() throws Exception {
        // given
        String json = "{\"enabled_detectors\":[\"us_ssn\",\"email\"],"
                + "\"custom_detectors\":[{\"name\":\"employee_id\",\"regex\":\"EMP-[0-9]{6}\",\"keywords\":[\"employee\"],"
                + "\"maximum_match_distance\":30,\"ignore_words\":[\"EMP-000000\"]}],"
                + "\"allow_list\":{\"values\":[\"help@example.com\"],\"patterns\":[\"[0-9]{3}-555-01[0-9]{2}\"]}}";
        // when
        DetectionOptions options = JSON.readValue(json, DetectionOptions.class);
        // then
        assertThat(options.enabledDetectors()).containsExactly("us_ssn", "email");
        assertThat(options.customDetectors()).containsExactly(new CustomDetector("employee_id", "EMP-[0-9]{6}",
                List.of("employee"), 30, List.of("EMP-000000")));
        assertThat(options.allowList().values()).containsExactly("help@example.com");
        assertThat(JSON.writeValueAsString(options)).isEqualTo(json);
    }

    @Test
    void defaultsTheMaximumMatchDistanceLikeMacie() throws Exception {
        // when
        CustomDetector d = JSON.readValue("{\"name\":\"x\",\"regex\":\"X-[0-9]+\"}", CustomDetector.class);
        // then
        assertThat(d.maximumMatchDistance()).isEqualTo(50);
        assertThat(d.keywords()).isEmpty();
        assertThat(d.ignoreWords()).isEmpty();
    }

    @Test
    void rejectsUnknownFields() {
        // when / then
        assertThatThrownBy(() -> JSON.readValue("{\"enabled\":[]}", DetectionOptions.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void rejectsAnUnknownDetectorThroughJackson() {
        // when / then
        assertThatThrownBy(() -> JSON.readValue("{\"enabled_detectors\":[\"iban\"]}", DetectionOptions.class))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("enabled_detectors: unknown detector 'iban'; known: aws_access_key_id, "
                        + "aws_secret_access_key, credit_card, us_ssn, email, us_phone");
    }

    @Test
    void rejectsARepeatedDetectorAndAnEmptySelection() {
        // when / then
        assertThatThrownBy(() -> DetectionOptions.only("email", "email"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("enabled_detectors: 'email' is listed twice");
        assertThatThrownBy(() -> DetectionOptions.only())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no detector would run: enabled_detectors and custom_detectors are both empty");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "look-behind|(?<![0-9])EMP-[0-9]{6}|custom detector 'x' regex is not a valid RE2 regular expression (error parsing regexp: invalid named capture: `(?<![0-9])EMP-[0-9]{6}`); look-around and back-references are not supported",
            "back-reference|(a)\\1|custom detector 'x' regex is not a valid RE2 regular expression (error parsing regexp: invalid escape sequence: `\\1`); look-around and back-references are not supported",
            "nested counted repetition|((a{1000}){1000}){1000}|custom detector 'x' regex expands to more than 5000 instructions (nested counted repetitions); simplify it",
            "large counted repetition|[a-z]{900}[0-9]{900}[A-Z]{900}x{900}y{900}z{900}|custom detector 'x' regex expands to more than 5000 instructions (nested counted repetitions); simplify it",
            "empty match|[0-9]*|custom detector 'x' regex matches an empty string; it must match at least one character",
            "empty alternative|EMP|custom detector 'x' regex matches an empty string; it must match at least one character"})
    void rejectsPathologicalPatterns(String what, String regex, String message) {
        // given the empty-alternative row uses a pattern with an empty branch
        String pattern = what.equals("empty alternative") ? "EMP|" : regex;
        // when / then
        assertThatThrownBy(() -> CustomDetector.of("x", pattern)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void rejectsPatternsOverTheLengthLimit() {
        // when / then
        assertThatThrownBy(() -> CustomDetector.of("x", "a".repeat(513)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("custom detector 'x' regex is 513 characters long; the limit is 512");
    }

    @Test
    void acceptsCatastrophicBacktrackingShapesBecauseRe2RunsThemInLinearTime() {
        // given the classic exponential pattern for backtracking engines, against its worst input
        ContentScanner scanner = ContentScanner.forOptions(new DetectionOptions(List.of(),
                List.of(CustomDetector.of("evil", "(x+x+)+y")), null));
        byte[] input = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        // when
        long start = System.nanoTime();
        ScanResult r = Scans.scan(scanner, input);
        // then it returns (java.util.regex would not, in any reasonable time)
        assertThat(r.findings()).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "Bad|custom detector name must be 1-64 characters of [a-z0-9_.-] starting with a letter, was 'Bad'",
            "us_ssn|custom detector name 'us_ssn' is the id of a built-in detector"})
    void rejectsBadNames(String name, String message) {
        // when / then
        assertThatThrownBy(() -> CustomDetector.of(name, "X[0-9]")).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void rejectsBadKeywordsAndDistances() {
        // when / then
        assertThatThrownBy(() -> EMPLOYEE.withKeywords(List.of("id"), 50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("custom detector 'employee_id' keyword must be 3-90 characters, was 'id'");
        assertThatThrownBy(() -> EMPLOYEE.withKeywords(List.of("employee"), 301)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("custom detector 'employee_id' maximum_match_distance must be 1-300, was 301");
        assertThatThrownBy(() -> EMPLOYEE.withIgnoreWords(List.of("EMP"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("custom detector 'employee_id' ignore word must be 4-90 characters, was 'EMP'");
    }

    @Test
    void rejectsDuplicateCustomNames() {
        // when / then
        assertThatThrownBy(() -> DetectionOptions.defaults().withCustomDetectors(List.of(EMPLOYEE, EMPLOYEE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("custom detector name 'employee_id' is used twice");
    }

    @Test
    void customDetectorReportsMatchesWithOffsetAndMask() {
        // given
        ContentScanner scanner = ContentScanner.forOptions(DetectionOptions.defaults().withCustomDetectors(List.of(EMPLOYEE)));
        // when
        List<Finding> found = Scans.scan(scanner, "badge EMP-123456 and café EMP-654321".getBytes(StandardCharsets.UTF_8)).findings();
        // then offsets are bytes (é is two)
        assertThat(Scans.describe(found)).containsExactly("employee_id@6=********56", "employee_id@27=********21");
        assertThat(found.get(0).context()).isEqualTo("badge ********56 and café ********21");
    }

    @Test
    void customDetectorNeedsAKeywordWithinTheMaximumMatchDistance() {
        // given a keyword whose end may be at most 20 bytes before the end of the match
        CustomDetector d = EMPLOYEE.withKeywords(List.of("employee"), 20);
        ContentScanner scanner = ContentScanner.forOptions(new DetectionOptions(List.of(), List.of(d), null));
        // when / then: "employee: " ends 10 bytes before the 10-byte match's end... 20 allowed
        assertThat(Scans.describe(Scans.scan(scanner, "EMPLOYEE: EMP-123456".getBytes(StandardCharsets.US_ASCII)).findings()))
                .containsExactly("employee_id@10=********56");
        assertThat(Scans.scan(scanner, "employee:  .  .  .  . EMP-123456".getBytes(StandardCharsets.US_ASCII)).findings()).isEmpty();
        assertThat(Scans.scan(scanner, "badge EMP-123456".getBytes(StandardCharsets.US_ASCII)).findings()).isEmpty();
    }

    @Test
    void customDetectorSkipsMatchesHoldingAnIgnoreWord() {
        // given
        CustomDetector d = EMPLOYEE.withIgnoreWords(List.of("EMP-000"));
        ContentScanner scanner = ContentScanner.forOptions(new DetectionOptions(List.of(), List.of(d), null));
        // when / then
        assertThat(Scans.describe(Scans.scan(scanner, "EMP-000123 EMP-123456".getBytes(StandardCharsets.US_ASCII)).findings()))
                .containsExactly("employee_id@11=********56");
    }

    @Test
    void customDetectorFindsAValueOnceAcrossChunkBoundaries() {
        // given
        ContentScanner scanner = ContentScanner.builder().options(new DetectionOptions(List.of(), List.of(EMPLOYEE), null))
                .chunkBytes(4096).build();
        List<String> wrong = new ArrayList<>();
        int boundary = ContentScanner.PREFIX + 4096;
        for (int at = boundary - 12; at <= boundary + 2; at++) {
            // when
            List<String> found = Scans.describe(Scans.scan(scanner, GeneratedText.withValueAt(3 * 4096, at, "EMP-123456")).findings());
            // then
            if (!found.equals(List.of("employee_id@" + at + "=********56"))) {
                wrong.add(at + " -> " + found);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void allowListDropsValuesIgnoringCaseAndSeparators() {
        // given
        AllowList allow = new AllowList(List.of("HELP@example.com", "4111111111111111"), null);
        ContentScanner scanner = ContentScanner.forOptions(DetectionOptions.defaults().withAllowList(allow));
        String text = "help@example.com jane@example.com 4111-1111-1111-1111 5555555555554444";
        // when
        List<Finding> found = Scans.scan(scanner, text.getBytes(StandardCharsets.US_ASCII)).findings();
        // then allowed values are not reported, and are still masked in context
        assertThat(Scans.describe(found)).containsExactly("email@17=j***@example.com", "credit_card@54=************4444");
        assertThat(found.get(0).context()).startsWith("h***@example.com j***@example.com ****-****-****-1111");
    }

    @Test
    void allowListPatternsMustMatchTheWholeValue() {
        // given a pattern for the 555-01XX numbers reserved for fiction
        AllowList allow = new AllowList(null, List.of("[0-9]{3}-555-01[0-9]{2}"));
        ContentScanner scanner = ContentScanner.forOptions(DetectionOptions.only(DetectorId.US_PHONE).withAllowList(allow));
        // when
        List<String> found = Scans.describe(Scans.scan(scanner,
                "212-555-0147 (212) 555-0148 212-555-0247".getBytes(StandardCharsets.US_ASCII)).findings());
        // then
        assertThat(found).containsExactly("us_phone@13=(***) ***-0148", "us_phone@28=***-***-0247");
    }

    @Test
    void allowListAppliesToCustomDetectors() {
        // given
        DetectionOptions options = new DetectionOptions(List.of(), List.of(EMPLOYEE), new AllowList(List.of("EMP-000001"), null));
        // when
        List<String> found = Scans.describe(Scans.scan(ContentScanner.forOptions(options),
                "EMP-000001 EMP-000002".getBytes(StandardCharsets.US_ASCII)).findings());
        // then
        assertThat(found).containsExactly("employee_id@11=********02");
    }

    @Test
    void rejectsAnInvalidAllowListPattern() {
        // when / then
        assertThatThrownBy(() -> new AllowList(null, List.of("ok", "(?=x)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allow_list.patterns[1] is not a valid RE2 regular expression");
    }

    @Test
    void runsOnlyTheEnabledBuiltInDetectors() {
        // given
        ContentScanner scanner = ContentScanner.forOptions(DetectionOptions.only(DetectorId.US_SSN, DetectorId.CREDIT_CARD));
        // when
        List<Finding> found = Scans.scan(scanner, "ssn 219-48-3306 mail a@example.com card 4111111111111111 call 212-555-0147"
                .getBytes(StandardCharsets.US_ASCII)).findings();
        // then
        assertThat(found).extracting(Finding::detector).containsExactly(DetectorId.US_SSN, DetectorId.CREDIT_CARD);
    }
}
