package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CreditCardDetectorTest {

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource({
            "4111111111111111, Visa", "4012888888881881, Visa", "4222222222222, Visa 13 digits",
            "5555555555554444, Mastercard", "5105105105105100, Mastercard",
            "2223003122003222, Mastercard 2-series", "2221000000000009, Mastercard 2-series low end",
            "2720992593319364, Mastercard 2-series high end",
            "378282246310005, American Express", "371449635398431, American Express",
            "6011111111111117, Discover", "6011000990139424, Discover", "6445644564456445, Discover 644-649",
            "6011000400000000003, Discover 19 digits",
            "30569309025904, Diners Club 14 digits", "38520000023237, Diners Club", "36227206271667, Diners Club 36",
            "3530111333300000, JCB", "3566002020360505, JCB", "6200000000000005, UnionPay", "6759649826438453, Maestro",
            "2200000000000004, Mir", "8100000000000002, RuPay", "5085000000000007, RuPay 508",
            "5060990000000008, Verve", "5060990000000000001, Verve 19 digits"})
    void reportsEachSchemeAsOneRun(String number, String scheme) {
        // when
        List<String> found = Scans.of(DetectorId.CREDIT_CARD, "pan " + number + " end");
        // then
        assertThat(found).as(scheme).containsExactly("4=" + "*".repeat(number.length() - 4) + number.substring(number.length() - 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "3782-822463-10005",
            "3056 930902 5904", "4222 2222 2222 2", "6011 0004 0000 0000 003"})
    void reportsGroupedNumbersWithTheirSeparatorsMasked(String number) {
        // when
        List<String> found = Scans.of(DetectorId.CREDIT_CARD, "card: " + number + ".");
        // then
        String digits = number.replaceAll("[^0-9]", "");
        assertThat(found).containsExactly("6=" + Masking.keepLastDigits(number, 4));
        assertThat(found.get(0)).doesNotContain(digits.substring(0, 6));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "4111111111111112",        // Luhn fails
            "4111 1111 1111 1112",     // Luhn fails, grouped
            "1234567890123452",        // Luhn valid, no scheme starts with 1
            "9111111111111111",        // no scheme starts with 9
            "3782822463100052",        // Amex prefix with 16 digits
            "411111111111113",         // Visa with 15 digits
            "5555555555554",           // Mastercard with 13 digits
            "4111-1111 1111-1111",     // mixed separators
            "41111 1111 1111 111",     // groups not of four
            "4111  1111  1111  1111",  // double spaces
            "4111111111111111111111"   // 22 digits
    })
    void rejectsInvalidNumbers(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.CREDIT_CARD, "value " + text + " end")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"order 7301941111111111111112058 shipped", "translate(0%, -0.4111111111111111%)",
            "sku 4111111111111111x", "ORD-4111111111111111", "id_4111111111111111", "4111111111111111@example.com",
            "v=1.4111111111111111", "4111111111111111.25", "4111111111111111-01", "21 4111 1111 1111 1111"})
    void rejectsNumbersInsideLongerTokens(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.CREDIT_CARD, text)).isEmpty();
    }

    @Test
    void acceptsCardsInCsvAndJson() {
        // when / then
        assertThat(Scans.of(DetectorId.CREDIT_CARD, "jane,4111111111111111,12/27,123")).containsExactly("5=************1111");
        assertThat(Scans.of(DetectorId.CREDIT_CARD, "{\"pan\":\"5555555555554444\"}")).containsExactly("8=************4444");
        assertThat(Scans.of(DetectorId.CREDIT_CARD, "4111111111111111")).containsExactly("0=************1111");
    }

    /** Case 19: each line of sample.txt gives exactly the expected number of card findings. */
    @ParameterizedTest(name = "case 19 line {0}: {1} card finding(s)")
    @CsvFileSource(resources = "/cases/19-card-and-phone-token-boundaries/expected.csv", numLinesToSkip = 1)
    void case19LineHasTheExpectedCardFindings(int line, int cards, int phones, String why) {
        // given the line of sample.txt
        String text = SsnDetectorTest.sampleLine("/cases/19-card-and-phone-token-boundaries/sample.txt", line);
        // when / then
        assertThat(Scans.of(DetectorId.CREDIT_CARD, text)).as(why).hasSize(cards);
    }

    @Test
    void luhnMatchesTheIsoCheck() {
        // given / when / then
        assertThat(CreditCardDetector.luhn("79927398713")).isTrue();
        assertThat(CreditCardDetector.luhn("79927398710")).isFalse();
    }
}
