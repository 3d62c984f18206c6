package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.testing.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scanner scan FOLDER --inventory s3://…}: the objects come from an S3 Inventory report
 * (case 01's data file) served beside the scanned folder, and every decoded key is fetched and
 * scanned under its real name.
 */
class InventoryScanTest {
    /** The objects case 01's data file lists, by their decoded keys. */
    private static final List<String> KEYS = List.of("team notes/q1.txt", "team+notes/q1.txt", "code/c++ notes.txt",
            "caf\u00e9/menu.txt", "discount 50%.txt", "reports/a,b \"x\".txt", "plain/readme.txt");

    @TempDir
    static Path base;
    private static TestDatabase db;

    @BeforeAll
    static void buckets() throws Exception {
        db = TestDatabase.create(4);
        Path source = base.resolve("example-src-bucket");
        for (String key : KEYS) {
            Path f = source.resolve(key);
            Files.createDirectories(f.getParent());
            Files.writeString(f, key.equals("team notes/q1.txt") ? "reach me at alice@example.com\n" : "nothing here\n");
        }
        Path report = base.resolve("example-inventory-bucket/example-src-bucket/daily");
        Files.createDirectories(report.resolve("data"));
        Files.createDirectories(report.resolve("2024-05-01T00-00Z"));
        byte[] data;
        try (InputStream in = InventoryScanTest.class.getResourceAsStream("/inventory/case01-inv-0001.csv.gz")) {
            data = in.readAllBytes();
        }
        Files.write(report.resolve("data/inv-0001.csv.gz"), data);
        String manifest = "{\"sourceBucket\":\"example-src-bucket\",\"destinationBucket\":\"arn:aws:s3:::example-inventory-bucket\","
                + "\"version\":\"2016-11-30\",\"creationTimestamp\":\"1714521600000\",\"fileFormat\":\"CSV\","
                + "\"fileSchema\":\"Bucket, Key, Size, LastModifiedDate, StorageClass, EncryptionStatus\",\"files\":[{\"key\":"
                + "\"example-src-bucket/daily/data/inv-0001.csv.gz\",\"size\":187,\"MD5checksum\":\"0bdebe3c1e5ecfb7501cdd5d42a55f4d\"}]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        Files.write(report.resolve("2024-05-01T00-00Z/manifest.json"), manifestBytes);
        Files.writeString(report.resolve("2024-05-01T00-00Z/manifest.checksum"),
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(manifestBytes)));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void aScanFromTheLatestInventoryReportScansEveryDecodedKey() {
        // when
        CliRun r = CliRun.of("scan", base.resolve("example-src-bucket").toString(), "--inventory",
                "s3://example-inventory-bucket/example-src-bucket/daily/", "--jdbc-url", db.url(), "--no-progress",
                "--format", "jsonl");

        // then: exit 0; one row per decoded key, each scanned; the finding is in the object whose
        // key has a space, not in team+notes
        assertThat(r.exit()).as(r.err()).isZero();
        String job = db.scalar("SELECT job_id FROM jobs WHERE source = 'inventory'");
        assertThat(db.query("SELECT key, state FROM job_objects WHERE job_id = ?::uuid ORDER BY key", job))
                .extracting(row -> row.get(0) + "|" + row.get(1))
                .containsExactlyInAnyOrderElementsOf(KEYS.stream().map(k -> k + "|succeeded").toList());
        assertThat(db.query("SELECT key, detector FROM findings WHERE job_id = ?::uuid", job))
                .containsExactly(List.of("team notes/q1.txt", "email"));
        assertThat(r.out()).contains("\"key\":\"team notes/q1.txt\"");
    }

    @Test
    void anInventoryPrefixWithoutACompleteReportIsABadInput() {
        // when
        CliRun r = CliRun.of("scan", base.resolve("example-src-bucket").toString(), "--inventory",
                "s3://example-inventory-bucket/nothing-here/", "--jdbc-url", db.url(), "--no-progress");

        // then
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("scanner: --inventory: no complete inventory report (manifest.json with"
                + " manifest.checksum) under s3://example-inventory-bucket/nothing-here/");
    }
}
