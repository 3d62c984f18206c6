package dev.s3scanner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading and decoding data files, without S3. */
class DataFileReaderTest {
    private static final InventoryColumns VERSIONED = InventoryColumns.of(List.of("Bucket", "Key", "VersionId",
            "IsLatest", "IsDeleteMarker", "Size", "LastModifiedDate", "StorageClass"));

    private static List<InventoryRow> rows(byte[] gz, InventoryColumns columns) {
        List<InventoryRow> out = new ArrayList<>();
        try (DataFileReader r = new DataFileReader(new ByteArrayInputStream(gz), columns, "test.csv.gz")) {
            for (InventoryRow row; (row = r.next()) != null; ) {
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void everyVersionCanBeAskedForButDeleteMarkersAreNeverScanned() {
        // given: case 01's versioned rows
        byte[] gz = InventoryFixture.gzip(new String(InventoryFixture.resource("inventory-lines-versioned.csv"), StandardCharsets.UTF_8));
        List<InventoryRow> rows = rows(gz, VERSIONED);

        // when
        List<String> current = rows.stream().filter(InventoryFilter.currentVersions("")::accepts)
                .map(r -> r.key() + "@" + r.versionId()).toList();
        List<String> all = rows.stream().filter(new InventoryFilter("", true)::accepts)
                .map(r -> r.key() + "@" + r.versionId()).toList();

        // then
        assertThat(rows).hasSize(3);
        assertThat(current).containsExactly("team notes/q1.txt@v2");
        assertThat(all).containsExactly("team notes/q1.txt@v2", "team notes/q1.txt@v1");
    }

    @Test
    void aKeyThatIsNotFormEncodedIsAnErrorNamingTheRow() {
        // given: a bare '%' (a double-decoded key would look like this)
        byte[] gz = InventoryFixture.gzip("\"b\",\"ok.txt\",\"1\"\n\"b\",\"50%.txt\",\"1\"\n");
        InventoryColumns columns = InventoryColumns.of(List.of("Bucket", "Key", "Size"));

        // when / then
        assertThatThrownBy(() -> rows(gz, columns)).isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("row 2 of inventory data file test.csv.gz: key '50%.txt' is not URL-encoded: ");
    }

    @Test
    void aTruncatedGzipStreamIsAnError() {
        // given
        byte[] gz = InventoryFixture.resource("data/inv-0001.csv.gz");
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length - 20);
        InventoryColumns columns = InventoryColumns.of(List.of("Bucket", "Key", "Size", "LastModifiedDate", "StorageClass",
                "EncryptionStatus"));

        // when / then
        assertThatThrownBy(() -> rows(truncated, columns)).isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("inventory data file test.csv.gz is damaged near row ");
    }

    @Test
    void aSchemaWithoutSizeIsRefused() {
        // when / then
        assertThatThrownBy(() -> InventoryColumns.of(List.of("Bucket", "Key", "StorageClass")))
                .isInstanceOf(InventoryException.class)
                .hasMessage("the inventory's fileSchema has no Size field: add Size to the inventory configuration's"
                        + " optional fields (Bucket, Key, StorageClass)");
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsAnError() {
        // given
        byte[] gz = InventoryFixture.gzip("\"b\",\"k\"\n");

        // when / then
        assertThatThrownBy(() -> rows(gz, InventoryColumns.of(List.of("Bucket", "Key", "Size"))))
                .isInstanceOf(InventoryException.class)
                .hasMessage("row 1 of inventory data file test.csv.gz has 2 fields, the manifest's fileSchema has 3");
    }
}
