package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsKeyDetectorsTest {
    private static final String ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "ABIAY34FZKBOKMUTVV7A", "ACCAY34FZKBOKMUTVV7A",
            "A3T0Y34FZKBOKMUTVV7A"})
    void reportsAccessKeyIdsWithDocumentedPrefixes(String id) {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_ACCESS_KEY_ID, "key=" + id + "\n"))
                .containsExactly("4=" + id.substring(0, 4) + "************" + id.substring(16));
    }

    @Test
    void reportsAnAccessKeyIdFollowedByASigV4Scope() {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_ACCESS_KEY_ID, "Credential=" + ID + "/20240101/us-east-1/s3/aws4_request"))
                .containsExactly("11=AKIA************MPLE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "XAKIAIOSFODNN7EXAMPLE", "akiaiosfodnn7example",
            "AKIAIOSFODNN7EXAMPLE_1", "AKIAIOSFODNN7exAMPLE", "AIDAIOSFODNN7EXAMPLE", "AROAIOSFODNN7EXAMPLE", "AKIA-IOSFODNN7EXAMPLE"})
    void rejectsOtherIdsAndLongerTokens(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_ACCESS_KEY_ID, "id " + text + " end")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws_secret_access_key = ", "AWS_SECRET_ACCESS_KEY=", "\"SecretAccessKey\": \"", "secret_key: ",
            "<SecretAccessKey>", "aws_key: '"})
    void reportsASecretKeyAfterAKeyword(String prefix) {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_SECRET_ACCESS_KEY, prefix + SECRET + "\n"))
                .containsExactly(prefix.length() + "=" + "*".repeat(36) + "EKEY");
    }

    @Test
    void reportsASecretKeyPairedWithAnAccessKeyIdOnEitherSide() {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_SECRET_ACCESS_KEY, "bob," + ID + "," + SECRET)).containsExactly("25=" + "*".repeat(36) + "EKEY");
        assertThat(Scans.of(DetectorId.AWS_SECRET_ACCESS_KEY, SECRET + " goes with " + ID)).containsExactly("0=" + "*".repeat(36) + "EKEY");
    }

    @Test
    void ignoresAKeyShapedTokenWithoutEvidence() {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_SECRET_ACCESS_KEY, "blob " + SECRET + " end")).isEmpty();
        String far = "secret" + " ".repeat(AwsSecretAccessKeyDetector.KEYWORD_DISTANCE + 1);
        assertThat(Scans.of(DetectorId.AWS_SECRET_ACCESS_KEY, far + SECRET)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "secret = 3f786850e387550fdab836ed7e6dc881de23001b",          // SHA-1 hex
            "secret = GetSecretAccessKeyFromTheEnvironmentNow",          // 40 letters, an identifier
            "secret = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE",           // 39 characters
            "secret = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYS",         // 41 characters
            "secret = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY==",        // base64 padding: a longer blob
            "secret = abc-wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",      // joined to a URL-safe token
            "secret jwt eyJhbGciOi.wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.sig" // a JWT segment
    })
    void rejectsTokensThatAreNotSecretKeys(String text) {
        // when / then
        assertThat(Scans.of(DetectorId.AWS_SECRET_ACCESS_KEY, text)).isEmpty();
    }

    @Test
    void reportsTheMacieSampleCredentialsFile() {
        // given AWS's documented example credentials, as in the Macie demo data
        String text = "#Fake AWS Credentials\nAWS_ACCESS_KEY_ID=" + ID + "\nAWS_SECRET_ACCESS_KEY=" + SECRET + "\n";
        // when / then
        assertThat(Scans.describe(text)).containsExactly("aws_access_key_id@40=AKIA************MPLE",
                "aws_secret_access_key@83=" + "*".repeat(36) + "EKEY");
    }
}
