package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsPhoneDetectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "call (212) 555-0147 now|5=(***) ***-0147",
            "call (212)555-0147 now|5=(***)***-0147",
            "call 212-555-0147 now|5=***-***-0147",
            "call 212.555.0147 now|5=***.***.0147",
            "call 212 555 0147 now|5=*** *** 0147",
            "call +1 212-555-0147 now|5=+* ***-***-0147",
            "call +1 (212) 555-0147 now|5=+* (***) ***-0147",
            "call +1 212 555 0147 now|5=+* *** *** 0147",
            "call +1.212.555.0147 now|5=+*.***.***.0147",
            "call 1-212-555-0147 now|5=*-***-***-0147",
            "call 1 (212) 555-0147 now|5=* (***) ***-0147",
            "call +12125550147 now|5=+*******0147",
            "call +1 2125550147 now|5=+* ******0147",
            "phone: 2125550147|7=******0147",
            "tel 2125550147|4=******0147",
            "\"(415) 555-2671\"|1=(***) ***-2671"})
    void reportsTheCommonFormats(String text, String expected) {
        // when / then
        assertThat(Scans.of(DetectorId.US_PHONE, text)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "call 012-555-0147",      // area code starts with 0
            "call 112-555-0147",      // area code starts with 1
            "call 211-555-0147",      // N11 area code
            "call 292-555-0147",      // N9X area codes are reserved
            "call 212-055-0147",      // exchange starts with 0
            "call 212-155-0147",      // exchange starts with 1
            "call 212-911-0147",      // N11 exchange
            "call 212-555-01470",     // five-digit line
            "call 212-555-0147-12",   // longer dashed token
            "ver 212.555.0147.1",     // longer dotted number
            "id 2125550147 done",     // bare 10 digits without a keyword
            "call 212.555-0147",      // a dot mixed with a dash
            "ts=1718123456789",       // epoch milliseconds
            "uk +44 20 7946 0958",    // another country
            "pt +351 21 259 903 5696" // the tail of a longer grouped number
    })
    void rejectsInvalidOrEmbeddedNumbers(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.US_PHONE, text)).isEmpty();
    }

    @Test
    void rejectsAWindowTakenFromAUuid() {
        // when / then
        assertThat(Scans.of(DetectorId.US_PHONE, "trace id 5d0c6f3e-0000-4000-8212-5550147000ab")).isEmpty();
    }

    @Test
    void ignoresABareNumberWhoseKeywordIsTooFar() {
        // given
        String text = "phone" + " ".repeat(UsPhoneDetector.KEYWORD_DISTANCE + 1) + "2125550147";
        // when / then
        assertThat(Scans.of(DetectorId.US_PHONE, text)).isEmpty();
    }

    /** Case 19: each line of sample.txt gives exactly the expected number of phone findings. */
    @ParameterizedTest(name = "case 19 line {0}: {2} phone finding(s)")
    @CsvFileSource(resources = "/cases/19-card-and-phone-token-boundaries/expected.csv", numLinesToSkip = 1)
    void case19LineHasTheExpectedPhoneFindings(int line, int cards, int phones, String why) {
        // given the line of sample.txt
        String text = SsnDetectorTest.sampleLine("/cases/19-card-and-phone-token-boundaries/sample.txt", line);
        // when / then
        assertThat(Scans.of(DetectorId.US_PHONE, text)).as(why).hasSize(phones);
    }

    @Test
    void case19GivesExactlyThreeCardsAndTwoPhones() {
        // given the whole sample
        byte[] sample = LabeledCorpus.resource("/cases/19-card-and-phone-token-boundaries/sample.txt");
        // when
        ScanResult r = Scans.scan(sample);
        // then
        assertThat(Scans.describe(r.findings())).containsExactly(
                "credit_card@116=**** **** **** 1111", "credit_card@148=****-****-****-4444",
                "credit_card@183=************3222", "us_phone@289=(***) ***-0147", "us_phone@309=***.***.0199");
    }
}
