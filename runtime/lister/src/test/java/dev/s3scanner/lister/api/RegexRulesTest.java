package dev.s3scanner.lister.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegexRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"EMP-[0-9]{6}", "([a-z]+\\.)+com", "(a*b)+", "\\bACCT-\\d{8}\\b", "(?i)secret[_-]?key",
            "[A-Z]{2}\\d{2}(?: ?\\d{4}){4}", "(\\d{3}-)+\\d{4}", "(https?://)+x", "(ab|ac)*d", "x(?:[,;]\\s*\\w+)*",
            "\\p{Lu}{3}-\\d+", "[^\\s@]+@corp\\.example", "\\x41{2}\\x{1F600}"})
    void acceptsUnambiguousPatterns(String regex) {
        // when / then
        assertThatCode(() -> RegexRules.check("regex", regex)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "(a+)+ => the repetition 'a+' is nested in another repetition and what it repeats can also follow it",
            "(a*)*b => the repetition 'a*' is nested in another repetition and what it repeats can also follow it",
            "(\\w+\\s?)*$ => the repetition '\\w+' is nested in another repetition and what it repeats can also follow it",
            "(.*a){20} => the repetition '.*' is nested in another repetition and what it repeats can also follow it",
            "(a?a)+ => the repetition 'a?' is nested in another repetition and what it repeats can also follow it",
            "(\\d{1,3}\\s?)+x => the repetition '\\d{1,3}' is nested in another repetition and what it repeats can also follow it",
            "(x+x+)+y => the repetition 'x+' is nested in another repetition and what it repeats can also follow it",
            "(a|a)* => the alternatives 'a' and 'a' can match the same text inside a repetition",
            "(a|aa)*b => the alternatives 'a' and 'aa' can match the same text inside a repetition",
            "(\\w|\\d)+ => the alternatives '\\w' and '\\d' can match the same text inside a repetition",
            "(?i)(A|a)+ => the alternatives 'A' and 'a' can match the same text inside a repetition"})
    void rejectsCatastrophicBacktracking(String regex, String why) {
        // when
        ApiException e = catchThrowableOfType(ApiException.class, () -> RegexRules.check("custom_detectors[0].regex", regex));

        // then
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REGEX);
        assertThat(e.getMessage()).isEqualTo("custom_detectors[0].regex can take exponential time to match "
                + "(catastrophic backtracking): " + why + "; make the repetition unambiguous");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "(?<=x)y => r is not a valid RE2 regular expression (invalid named capture); look-around and back-references are not supported",
            "(?=x)y => r is not a valid RE2 regular expression (invalid or unsupported Perl syntax); look-around and back-references are not supported",
            "(a)\\1 => r is not a valid RE2 regular expression (invalid escape sequence); look-around and back-references are not supported",
            "[a- => r is not a valid RE2 regular expression (missing closing ]); look-around and back-references are not supported",
            "(ab => r is not a valid RE2 regular expression (missing closing )); look-around and back-references are not supported",
            "x{1001} => r is not a valid RE2 regular expression (invalid repeat count); look-around and back-references are not supported",
            "a* => r matches an empty string; it must match at least one character",
            "\\b => r matches an empty string; it must match at least one character",
            "((a{1000}){1000}){1000} => r expands to more than 5000 instructions (nested counted repetitions); simplify it",
            "(?:ab{100}){100} => r expands to more than 5000 instructions (nested counted repetitions); simplify it"})
    void rejectsOtherBadPatterns(String regex, String message) {
        // when
        ApiException e = catchThrowableOfType(ApiException.class, () -> RegexRules.check("r", regex));

        // then
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REGEX);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @org.junit.jupiter.api.Test
    void rejectsEmptyAndTooLongPatterns() {
        // when
        ApiException empty = catchThrowableOfType(ApiException.class, () -> RegexRules.check("r", ""));
        ApiException tooLong = catchThrowableOfType(ApiException.class, () -> RegexRules.check("r", "a".repeat(513)));

        // then
        assertThat(empty.getMessage()).isEqualTo("r must not be empty");
        assertThat(tooLong.getMessage()).isEqualTo("r is 513 characters long; the limit is 512");
    }
}
