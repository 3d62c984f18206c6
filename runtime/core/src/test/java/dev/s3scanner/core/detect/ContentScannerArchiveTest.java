package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;

class ContentScannerArchiveTest {

    @Test
    void readsEveryMemberOfAMultiMemberGzipFromATricklingStream() throws IOException {
        // given three gzip members, read through a stream that returns a few bytes a call and
        // whose available() is always 0 (as a network stream between packets)
        byte[] content = GeneratedText.concat(gzip("first ssn 219-48-3306\n"), gzip("second card 4111111111111111\n"),
                gzip("third mail help.desk@example.com\n"));
        // when
        ScanResult r = ContentScanner.defaults().scan(new Trickle(content));
        // then every member was read; offsets are in the decompressed stream
        assertThat(r.outcome()).isEqualTo(ScanOutcome.SCANNED);
        assertThat(Scans.describe(r.findings())).containsExactly("us_ssn@10=***-**-3306",
                "credit_card@34=************1111", "email@62=h********@example.com");
        assertThat(r.bytesRead()).isEqualTo(content.length);
    }

    @Test
    void namesZipEntriesAndCountsOffsetsWithinEachEntry() throws IOException {
        // given a zip with two text entries and a nested zip
        byte[] inner = zip(Map.of("deep/c.txt", text("  ssn 219-48-3306")));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.txt", text("card 4111 1111 1111 1111"));
        entries.put("dir/b.csv", text("name,email\njane,jane@example.com"));
        entries.put("inner.zip", inner);
        // when
        ScanResult r = Scans.scan(zip(entries));
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.SCANNED);
        assertThat(r.findings()).extracting(f -> f.entryPath() + "|" + f.detector() + "@" + f.byteOffset())
                .containsExactly("a.txt|credit_card@5", "dir/b.csv|email@16", "inner.zip!/deep/c.txt|us_ssn@6");
    }

    @Test
    void readsTarGzAndBzip2() throws IOException {
        // given a tar.gz with two files and a bzip2 file
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
            for (String[] f : new String[][] {{"logs/one.log", "ok\nssn 219-48-3306\n"}, {"logs/two.log", "mail a@example.com"}}) {
                byte[] b = text(f[1]);
                TarArchiveEntry e = new TarArchiveEntry(f[0]);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        ByteArrayOutputStream bz = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(bz)) {
            out.write(text("card 5555555555554444"));
        }
        // when
        ScanResult tgz = Scans.scan(gzip(tarBytes.toByteArray()));
        ScanResult bzip = Scans.scan(bz.toByteArray());
        // then
        assertThat(tgz.findings()).extracting(f -> f.entryPath() + "|" + f.detector() + "@" + f.byteOffset())
                .containsExactly("logs/one.log|us_ssn@7", "logs/two.log|email@5");
        assertThat(Scans.describe(bzip.findings())).containsExactly("credit_card@5=************4444");
    }

    @Test
    void stopsANestedZipBombAtTheCompressionRatioLimit() throws IOException {
        // given 80 MiB of text gzipped, then zipped: a few hundred KiB on the wire
        byte[] bomb = zip(Map.of("data.gz", gzip(GeneratedText.repeat(text("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"), 80 << 15))));
        assertThat(bomb.length).isLessThan(1 << 20);
        // when
        ScanResult r = Scans.scan(bomb);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.ARCHIVE_LIMIT);
        assertThat(r.detail()).startsWith("compression ratio exceeds 1000:1 (");
    }

    @Test
    void stopsAtTheExpandedSizeLimitAndKeepsEarlierFindings() throws IOException {
        // given a gzip that expands to 2 MiB, the SSN in its first bytes, and a 1 MiB limit
        byte[] content = gzip(GeneratedText.concat(text("ssn 219-48-3306\n"), GeneratedText.repeat(GeneratedText.FILLER, 40_000)));
        ContentScanner scanner = ContentScanner.builder().maxExpandedBytes(1 << 20).chunkBytes(4096).build();
        // when
        ScanResult r = Scans.scan(scanner, content);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.ARCHIVE_LIMIT);
        assertThat(r.detail()).isEqualTo("expanded content exceeds 1048576 bytes");
        assertThat(Scans.describe(r.findings())).containsExactly("us_ssn@4=***-**-3306");
    }

    @Test
    void stopsArchivesNestedDeeperThanTheLimit() throws IOException {
        // given zips nested five deep (default limit 4)
        byte[] content = text("ssn 219-48-3306");
        String name = "x.txt";
        for (int level = 5; level >= 1; level--) {
            content = zip(Map.of(name, content));
            name = "l" + level + ".zip";
        }
        // when
        ScanResult r = Scans.scan(content);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.ARCHIVE_LIMIT);
        assertThat(r.detail()).isEqualTo("archives nested deeper than 4 levels at l2.zip!/l3.zip!/l4.zip!/l5.zip");
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void stopsAtTheEntryCountLimit() throws IOException {
        // given 11 entries and a limit of 10
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            entries.put("f" + i + ".txt", text("ssn 219-48-3306"));
        }
        // when
        ScanResult r = Scans.scan(ContentScanner.builder().maxArchiveEntries(10).build(), zip(entries));
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.ARCHIVE_LIMIT);
        assertThat(r.detail()).isEqualTo("archive has more than 10 entries");
        assertThat(r.findingCount()).isEqualTo(10);
    }

    @Test
    void reportsAnEncryptedEntryAsUnsupportedAndScansTheOthers() throws IOException {
        // given a zip whose second entry has the encryption flag set
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("open.txt", text("ssn 219-48-3306"));
        entries.put("locked.txt", text("card 4111111111111111"));
        byte[] content = markEncrypted(storedZip(entries), "locked.txt");
        // when
        ScanResult r = Scans.scan(content);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.UNSUPPORTED);
        assertThat(r.detail()).isEqualTo("encrypted zip entry is not supported in locked.txt");
        assertThat(Scans.describe(r.findings())).containsExactly("us_ssn@4=***-**-3306");
    }

    @Test
    void callsAZipOfImagesBinary() throws IOException {
        // given a zip holding only a PNG
        byte[] png = LabeledCorpus.resource("/cases/12-non-utf8-and-binary/binary-with-text.png");
        // when
        ScanResult r = Scans.scan(zip(Map.of("img/a.png", png)));
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.BINARY);
        assertThat(r.detail()).isEqualTo("binary content (PNG image) in img/a.png");
    }

    @Test
    void reportsTruncatedGzipAsCorrupt() throws IOException {
        // given a gzip cut in the middle
        byte[] whole = gzip(GeneratedText.repeat(GeneratedText.FILLER, 1000));
        // when
        ScanResult r = Scans.scan(Arrays.copyOf(whole, whole.length / 2));
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.CORRUPT);
        assertThat(r.detail()).startsWith("damaged compressed content: ");
    }

    @Test
    void propagatesAFailureToReadTheObject() throws IOException {
        // given a stream that fails after some bytes of a gzip
        byte[] whole = gzip(GeneratedText.repeat(GeneratedText.FILLER, 1000));
        InputStream failing = new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == 100) {
                    throw new IOException("connection reset");
                }
                return whole[pos++] & 0xff;
            }
        };
        // when / then
        assertThatThrownBy(() -> ContentScanner.defaults().scan(failing)).isInstanceOf(IOException.class).hasMessage("connection reset");
    }

    // ------------------------------------------------------------------ helpers

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String s) {
        return gzip(text(s));
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] storedZip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Sets general purpose bit 0 (encryption) in the local and central headers of one entry. */
    private static byte[] markEncrypted(byte[] zip, String name) {
        byte[] n = text(name);
        for (int i = 0; i + 46 < zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && nameAt(zip, i + 30, n)) {
                zip[i + 6] |= 1;
            }
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && nameAt(zip, i + 46, n)) {
                zip[i + 8] |= 1;
            }
        }
        return zip;
    }

    private static boolean nameAt(byte[] b, int at, byte[] name) {
        return at + name.length <= b.length && Arrays.equals(b, at, at + name.length, name, 0, name.length);
    }

    /** Returns at most 7 bytes a read; available() is always 0. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 7), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
