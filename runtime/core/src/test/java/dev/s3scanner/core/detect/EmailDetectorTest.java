package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailDetectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "contact jane.doe@example.com today|8=j*******@example.com",
            "<a href=\"mailto:help.desk@example.org\">|16=h********@example.org",
            "Jane <jane+news@mail.example.co.uk>|6=j********@mail.example.co.uk",
            "JANE_DOE99@EXAMPLE.NET,|0=J*********@EXAMPLE.NET",
            "(o.lee@dept.example.edu)|1=o****@dept.example.edu",
            "x@example.com|0=*@example.com",
            "user@xn--bcher-kva.example|0=u***@xn--bcher-kva.example",
            "mail j.doe@example.com.|5=j****@example.com",
            "...jane@example.com|3=j***@example.com"})
    void reportsAddresses(String text, String expected) {
        // when / then
        assertThat(Scans.of(DetectorId.EMAIL, text)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<img src=\"icon@2x.png\">", "logo@3x.webp", "npm i lodash@4.17.21", "root@localhost", "@media screen",
            "@Override", "jane..doe@example.com", "jane.@example.com", "a@b.c", "user@-bad.example.com",
            "user@bad-.example.com", "user@example.c0m", "user@example_host.com", "https://deploy:s3cret@pypi.example.com/simple",
            "https://jane@git.example.com/repo.git", "a@b@example.com",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com"})
    void rejectsShapesThatAreNotAddresses(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.EMAIL, text)).isEmpty();
    }
}
