package dev.s3scanner.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectResult;
import dev.s3scanner.core.store.ObjectState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every outcome S3 can give for one object becomes a terminal state with a reason (cases 06, 07,
 * 08, 10, 12). Real GETs against the in-process S3 server; archive-tier, KMS and throttling
 * answers are injected into real responses (the server cannot produce them).
 */
class ObjectScannerTest {
    private static WorkerFixture fx;
    private static S3Faults faults;
    private static S3Client s3;
    private static ObjectScanner scanner;
    private static String bucket;

    @BeforeAll
    static void start() throws Exception {
        fx = new WorkerFixture();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("people.csv", WorkerFixture.text("name,ssn\nJane,219-48-3306\n"));
        files.put("big.log", WorkerFixture.text("x".repeat(5000)));
        files.put("archive/deep.csv", WorkerFixture.text("219-48-3306\n"));
        files.put("kms/secret.csv", WorkerFixture.text("219-48-3306\n"));
        files.put("denied/plain.csv", WorkerFixture.text("219-48-3306\n"));
        files.put("busy/slow.csv", WorkerFixture.text("219-48-3306\n"));
        files.put("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        bucket = fx.bucket("objects", files);
        faults = new S3Faults()
                .get("archive/deep.csv", 403, "InvalidObjectState")
                .get("kms/secret.csv", 403, "AccessDenied")
                .head("kms/secret.csv", 200, Map.of("x-amz-server-side-encryption", "aws:kms",
                        "x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                .get("denied/plain.csv", 403, "AccessDenied")
                .head("denied/plain.csv", 403, Map.of())
                .get("busy/slow.csv", 503, "SlowDown")
                .get("changed/if-match.csv", 412, "PreconditionFailed")
                .getAnswer("changed/ignored-if-match.csv", 200, Map.of("ETag", "\"new-etag\"", "Content-Type", "text/csv"));
        s3 = fx.s3(faults);
        scanner = new ObjectScanner(s3, 1000);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        fx.close();
    }

    private static String etag(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
    }

    private static ObjectResult scan(String key, String etag, long size) throws RetryableObjectException {
        return scanner.scan(bucket, new ObjectRef(key, etag, size, null), ContentScanner.defaults());
    }

    @Test
    void readableObjectSucceedsWithMaskedFindings() throws Exception {
        // when
        ObjectResult r = scan("people.csv", etag("people.csv"), 26);

        // then
        assertThat(r.state()).isEqualTo(ObjectState.SUCCEEDED);
        assertThat(r.findings()).extracting(f -> f.detector() + "@" + f.byteOffset() + "=" + f.maskedValue())
                .containsExactly("us_ssn@14=***-**-3306");
        assertThat(r.bytesScanned()).isEqualTo(26);
    }

    @Test
    void objectDeletedSinceListingIsSkippedAsDeleted() throws Exception {
        // when
        ObjectResult r = scan("gone.csv", "\"0123\"", 10);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.SKIPPED, ObjectReason.DELETED);
    }

    @Test
    void objectOverwrittenSinceListingIsSkippedAsChanged() throws Exception {
        // given: S3 answers GET If-Match with the listed ETag by 412 (case 08); the in-process
        // server ignores If-Match, so the answer is injected
        String listed = "\"9b2cf535f27731c974343645a3985328\"";

        // when
        ObjectResult r = scan("changed/if-match.csv", listed, 26);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.SKIPPED, ObjectReason.CHANGED);
        assertThat(r.detail()).isEqualTo("ETag no longer " + listed);
    }

    @Test
    void objectReadWithAnotherEtagThanListedIsSkippedAsChanged() throws Exception {
        // given: a server that ignores If-Match and serves the new version
        String listed = "\"9b2cf535f27731c974343645a3985328\"";

        // when
        ObjectResult r = scan("changed/ignored-if-match.csv", listed, 26);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.SKIPPED, ObjectReason.CHANGED);
    }

    @Test
    void objectOverTheSizeLimitIsSkippedWithoutAGet() throws Exception {
        // given
        int before = faults.gets.get();

        // when
        ObjectResult r = scan("big.log", etag("big.log"), 5000);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.SKIPPED, ObjectReason.TOO_LARGE);
        assertThat(r.detail()).isEqualTo("5000 bytes exceeds the limit of 1000");
        assertThat(faults.gets.get()).isEqualTo(before);
    }

    @Test
    void binaryObjectIsSkippedAsBinary() throws Exception {
        // when
        ObjectResult r = scan("image.png", etag("image.png"), 16);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.SKIPPED, ObjectReason.BINARY);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void objectInAnArchiveTierIsSkippedAsArchived() throws Exception {
        // when (case 06: Intelligent-Tiering archive tiers show only on GET)
        ObjectResult r = scan("archive/deep.csv", null, 12);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.SKIPPED, ObjectReason.ARCHIVED);
    }

    @Test
    void kmsDenialIsFailedAsKmsAndNamesTheKey() throws Exception {
        // when (case 07)
        ObjectResult r = scan("kms/secret.csv", null, 12);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.FAILED, ObjectReason.ACCESS_DENIED_KMS);
        assertThat(r.detail()).isEqualTo("kms:Decrypt denied for key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }

    @Test
    void plainAccessDenialIsFailedAsAccessDenied() throws Exception {
        // when
        ObjectResult r = scan("denied/plain.csv", null, 12);

        // then
        assertThat(r).extracting(ObjectResult::state, ObjectResult::reason).containsExactly(ObjectState.FAILED, ObjectReason.ACCESS_DENIED);
    }

    @Test
    void throttlingIsRetryableNotTerminal() {
        // when / then
        assertThatThrownBy(() -> scan("busy/slow.csv", null, 12))
                .isInstanceOf(RetryableObjectException.class)
                .hasMessageContaining("503 SlowDown");
    }

    @Test
    void nonUtf8TextFilesAreScannedAndBinaryIsSkipped() throws Exception {
        // given: case 12's files (copied into runtime/core's test resources, on this classpath by its test-jar)
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : new String[] {"latin1-record.txt", "cp1252-quotes.txt", "utf16le-bom.txt",
                "utf8-with-invalid-byte.txt", "binary-with-text.png"}) {
            try (java.io.InputStream in = ObjectScannerTest.class.getResourceAsStream("/cases/12-non-utf8-and-binary/" + name)) {
                assertThat(in).as(name).isNotNull();
                files.put(name, in.readAllBytes());
            }
        }
        String b = fx.bucket("case12", files);
        ObjectScanner plain = new ObjectScanner(s3, Long.MAX_VALUE);
        Map<String, String> found = new LinkedHashMap<>();

        // when
        for (String name : files.keySet()) {
            ObjectResult r = plain.scan(b, new ObjectRef(name, null, files.get(name).length, null), ContentScanner.defaults());
            found.put(name, r.state().dbValue() + (r.reason() == null ? "" : ":" + r.reason()) + " "
                    + r.findings().stream().map(f -> f.detector() + "=" + f.maskedValue()).sorted().toList());
        }

        // then (expected.csv of case 12)
        assertThat(found).containsEntry("latin1-record.txt", "succeeded [email=h********@example.com, us_ssn=***-**-3306]")
                .containsEntry("cp1252-quotes.txt", "succeeded [credit_card=**** **** **** 1111]")
                .containsEntry("utf16le-bom.txt", "succeeded [us_phone=(***) ***-0147, us_ssn=***-**-3306]")
                .containsEntry("utf8-with-invalid-byte.txt", "succeeded [us_ssn=***-**-3306]")
                .containsEntry("binary-with-text.png", "skipped:binary []");
    }
}
