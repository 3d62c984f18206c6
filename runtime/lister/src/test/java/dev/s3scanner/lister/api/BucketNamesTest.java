package dev.s3scanner.lister.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-bucket", "logs.example.com", "a1b2c3", "bucket-123456789012",
            "my-access-point-abcdefgh1234567890123456789012-s3alias", "base--usw2-az1--x-s3",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void acceptsValidNames(String name) {
        // when / then
        assertThat(BucketNames.problem(name)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ab|must be 3 to 63 characters long",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|must be 3 to 63 characters long",
            "My-Bucket|may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit",
            "my_bucket|may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit",
            "-bucket|may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit",
            "bucket.|may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit",
            "my..bucket|must not contain two adjacent dots",
            "192.168.5.4|must not be formatted as an IP address",
            "xn--bucket|must not start with the reserved prefix 'xn--'",
            "sthree-bucket|must not start with the reserved prefix 'sthree-'",
            "amzn-s3-demo-bucket|must not start with the reserved prefix 'amzn-s3-demo-'",
            "mfzwi23gnjvgw.mrap|must not end with '.mrap' (a Multi-Region Access Point name, not a bucket)"})
    void rejectsNamesThatBreakARule(String name, String problem) {
        // when / then
        assertThat(BucketNames.problem(name)).isEqualTo(problem);
    }
}
