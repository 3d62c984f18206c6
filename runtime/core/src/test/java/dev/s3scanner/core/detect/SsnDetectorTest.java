package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

class SsnDetectorTest {

    @Test
    void reportsAFormattedNumberWithItsOffsetAndMask() {
        // given / when
        List<String> found = Scans.of(DetectorId.US_SSN, "SSN 219-48-3306");
        // then
        assertThat(found).containsExactly("4=***-**-3306");
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321", "999-99-9999",
            "219-00-3306", "219-48-0000", "078-05-1120", "219-09-9999", "457-55-5462", "123-45-6789"})
    void rejectsNumbersTheSsaNeverIssues(String value) {
        // given a number in a never-issued range, or an advertised one
        // when / then
        assertThat(Scans.of(DetectorId.US_SSN, "SSN " + value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ref 219-48-3306-77", "x219-48-3306", "219-48-33066", "1219-48-3306", "219-48-3306x",
            "v1.219-48-3306", "id-219-48-3306", "219-48-3306.5", "219-48-3306@example.com", "2019-48-3306"})
    void rejectsNumbersInsideLongerTokens(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.US_SSN, text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(219-48-3306)", "\"219-48-3306\"", "ssn=219-48-3306;", "219-48-3306,next", "<b>219-48-3306</b>",
            "end of sentence 219-48-3306."})
    void acceptsNumbersBetweenPunctuation(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.US_SSN, text)).hasSize(1);
    }

    @Test
    void reportsABareNumberOnlyWithAKeywordNearby() {
        // given / when / then
        assertThat(Scans.of(DetectorId.US_SSN, "social security number: 219483306")).containsExactly("24=*****3306");
        assertThat(Scans.of(DetectorId.US_SSN, "SSN#219483306")).containsExactly("4=*****3306");
        assertThat(Scans.of(DetectorId.US_SSN, "row id 219483306")).isEmpty();
    }

    @Test
    void ignoresAKeywordFurtherThanTheDistance() {
        // given the keyword 41 bytes before the number
        String text = "ssn" + " ".repeat(SsnDetector.KEYWORD_DISTANCE + 1) + "219483306";
        // when / then
        assertThat(Scans.of(DetectorId.US_SSN, text)).isEmpty();
        assertThat(Scans.of(DetectorId.US_SSN, "ssn" + " ".repeat(SsnDetector.KEYWORD_DISTANCE) + "219483306")).hasSize(1);
    }

    @Test
    void matchesKeywordsAsWholeWordsOnly() {
        // given "assn" (an abbreviation of association) before a bare number
        // when / then
        assertThat(Scans.of(DetectorId.US_SSN, "assn 219483306")).isEmpty();
    }

    @Test
    void reportsASpaceSeparatedNumberOnlyWithAKeyword() {
        // when / then
        assertThat(Scans.of(DetectorId.US_SSN, "ssn: 219 48 3306")).containsExactly("5=*** ** 3306");
        assertThat(Scans.of(DetectorId.US_SSN, "parts 219 48 3306")).isEmpty();
    }

    /** Case 20: each line of sample.txt gives exactly the expected number of SSN findings. */
    @ParameterizedTest(name = "case 20 line {0}: {1} finding(s)")
    @CsvFileSource(resources = "/cases/20-ssn-validity/expected.csv", numLinesToSkip = 1)
    void case20LineHasTheExpectedFindings(int line, int expected, String why) {
        // given the line of sample.txt
        String text = sampleLine("/cases/20-ssn-validity/sample.txt", line);
        // when
        List<String> found = Scans.of(DetectorId.US_SSN, text);
        // then
        assertThat(found).as(why).hasSize(expected);
    }

    @Test
    void detectorAloneReportsOnlyStartsInItsRange() {
        // given a window with two numbers and a range that holds only the second one's start
        byte[] text = "SSN 219-48-3306 and SSN 212-48-3306".getBytes(StandardCharsets.US_ASCII);
        List<Match> matches = new ArrayList<>();
        // when
        new SsnDetector().find(text, text.length, 10, text.length, matches::add);
        // then
        assertThat(matches).containsExactly(new Match(DetectorId.US_SSN, 24, 35, "***-**-3306"));
    }

    static String sampleLine(String resource, int line) {
        String[] lines = new String(LabeledCorpus.resource(resource), StandardCharsets.UTF_8).split("\n", -1);
        return lines[line - 1];
    }
}
