package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A context shows 40 characters on each side of its value; what it shows is hidden by rules that
 * look at the whole token, digit group or address the edge cuts, past the edge (the cleaning works
 * on the stretch the context shows, extended to where no rule looks across).
 */
class ContextEdgeTest {

    @Test
    void hidesATokenItsRightEdgeCutsAfterFewerThan20Characters() {
        // given a 40-character key that starts 26 characters after the SSN: the context shows 14 of them
        String text = "ssn 219-48-3306 and then some more words q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9 end";
        // when
        List<Finding> found = Scans.scan(text.getBytes(StandardCharsets.US_ASCII)).findings();
        // then
        assertThat(Scans.describe(found)).containsExactly("us_ssn@4=***-**-3306");
        assertThat(found.get(0).context()).isEqualTo("ssn ***-**-3306 and then some more words ##############");
    }

    @Test
    void hidesADigitGroupItsLeftEdgeCutsAfterFewerThan9Digits() {
        // given a group of 21 digits of which the context shows the last 6
        String text = "ref 111.222.333.444.555.666.777 was placed by the customer, ssn 219-48-3306.";
        // when
        List<Finding> found = Scans.scan(text.getBytes(StandardCharsets.US_ASCII)).findings();
        // then
        assertThat(Scans.describe(found)).containsExactly("us_ssn@64=***-**-3306");
        assertThat(found.get(0).context()).isEqualTo("###.### was placed by the customer, ssn ***-**-3306.");
    }

    @Test
    void hidesALocalPartWhoseAtSignLiesPastTheRightEdge() {
        // given an address the email detector does not report (no top-level domain), its '@' 5 characters past the edge
        String text = "ssn 219-48-3306 contact first.middle.last.name.of.the.person@localhost now";
        // when
        List<Finding> found = Scans.scan(text.getBytes(StandardCharsets.US_ASCII)).findings();
        // then
        assertThat(Scans.describe(found)).containsExactly("us_ssn@4=***-**-3306");
        assertThat(found.get(0).context()).isEqualTo("ssn ***-**-3306 contact " + "*".repeat(31));
    }

    @Test
    void showsShortNumbersAndWordsAtTheEdgesAsTheyAre() {
        // given an 8-digit group and a 19-character token cut by the edges (neither is hidden whole)
        String text = "code 1234.5678 was then given over to me by the ssn 219-48-3306 and then some more words a1b2c3d4e5f6g7h8i9j end";
        // when
        List<Finding> found = Scans.scan(text.getBytes(StandardCharsets.US_ASCII)).findings();
        // then
        assertThat(Scans.describe(found)).containsExactly("us_ssn@52=***-**-3306");
        assertThat(found.get(0).context()).isEqualTo("78 was then given over to me by the ssn ***-**-3306 and then some more words a1b2c3d4e5f6g7");
    }
}
