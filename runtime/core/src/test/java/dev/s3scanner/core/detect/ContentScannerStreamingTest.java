package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentScannerStreamingTest {
    private static final int CHUNK = 4096;
    /** Where the first two chunks end, as window offsets: PREFIX + CHUNK, then every CHUNK bytes. */
    private static final int[] BOUNDARIES = {ContentScanner.PREFIX + CHUNK, ContentScanner.PREFIX + 2 * CHUNK};

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "us_ssn|219-48-3306",
            "credit_card|4111 1111 1111 1111",
            "us_phone|+1 (212) 555-0147",
            "email|help.desk@example.com",
            "aws_access_key_id|AKIAIOSFODNN7EXAMPLE"})
    void findsAValueExactlyOnceAtEveryOffsetAcrossAChunkBoundary(String detector, String value) {
        // given a scanner with small chunks
        ContentScanner scanner = ContentScanner.builder().chunkBytes(CHUNK).build();
        List<String> wrong = new ArrayList<>();
        for (int boundary : BOUNDARIES) {
            for (int offset = boundary - value.length() - 2; offset <= boundary + 2; offset++) {
                // when the value starts at each offset that puts it on, before or after the boundary
                byte[] content = GeneratedText.withValueAt(3 * CHUNK, offset, value);
                List<Finding> found = Scans.scan(scanner, content).findings();
                // then it is found once, at that offset
                List<String> got = Scans.describe(found);
                if (found.size() != 1 || found.get(0).byteOffset() != offset || !found.get(0).detector().equals(detector)) {
                    wrong.add(offset + " -> " + got);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void findsASecretKeyWhoseKeywordIsInThePreviousChunk() {
        // given the keyword before a boundary and the key after it
        ContentScanner scanner = ContentScanner.builder().chunkBytes(CHUNK).build();
        String value = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        for (int offset = BOUNDARIES[0] - value.length() - 2; offset <= BOUNDARIES[0] + 2; offset++) {
            byte[] content = GeneratedText.withValueAt(3 * CHUNK, offset, value);
            // when
            List<String> found = Scans.describe(Scans.scan(scanner, content).findings());
            // then
            assertThat(found).as("offset %d", offset)
                    .containsExactly("aws_secret_access_key@" + (offset + 24) + "=" + "*".repeat(36) + "EKEY");
        }
    }

    @ParameterizedTest(name = "chunk {0} bytes")
    @ValueSource(ints = {4096, 8192, 65536, 262144, 1 << 20})
    void case10FindsTheThreeValuesAcross8KiB64KiBAnd1MiBBoundaries(int chunk) {
        // given the case 10 file, generated (1 MiB + 4 KiB)
        byte[] content = GeneratedText.boundaryFile((1 << 20) + 4096);
        // when
        ScanResult r = Scans.scan(ContentScanner.builder().chunkBytes(chunk).build(), content);
        // then each value is found once at its true offset
        assertThat(r.outcome()).isEqualTo(ScanOutcome.SCANNED);
        assertThat(Scans.describe(r.findings())).containsExactly(
                "credit_card@" + (8192 - 13 + 6) + "=**** **** **** 1111",
                "email@" + (65536 - 14 + 7) + "=h********@example.com",
                "us_ssn@" + ((1 << 20) - 8 + 5) + "=***-**-3306");
    }

    @Test
    void case10GeneratorWritesTheSameBytesAsTheCaseScript() throws IOException {
        // given the file the case folder ships, when it is there (beside the repository)
        Path shipped = Path.of("../../../shared/cases/10-huge-object-streaming/boundary-1MiB.txt");
        Assumptions.assumeTrue(Files.exists(shipped), "case folder not present");
        // when / then
        assertThat(GeneratedText.boundaryFile((1 << 20) + 4096)).isEqualTo(Files.readAllBytes(shipped));
    }

    @Test
    void keepsAtMostMaxFindingsButCountsThemAll() {
        // given 5,000 addresses
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("user").append(i).append("@example.com\n");
        }
        ContentScanner scanner = ContentScanner.builder().maxFindings(100).build();
        // when
        ScanResult r = Scans.scan(scanner, sb.toString().getBytes(StandardCharsets.US_ASCII));
        // then
        assertThat(r.findings()).hasSize(100);
        assertThat(r.findingCount()).isEqualTo(5000);
        assertThat(r.findings().get(99).byteOffset()).isLessThan(r.findings().size() * 30L);
    }

    @Test
    void reportsFindingsInOffsetOrder() {
        // given values spread over many chunks
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            sb.append("row ").append(i).append(" card 4111111111111111 ssn 219-48-3306 mail a").append(i).append("@example.com\n");
        }
        // when
        List<Long> offsets = Scans.scan(ContentScanner.builder().chunkBytes(CHUNK).maxFindings(100_000).build(),
                sb.toString().getBytes(StandardCharsets.US_ASCII)).findings().stream().map(Finding::byteOffset).collect(Collectors.toList());
        // then
        assertThat(offsets).hasSize(9000).isSorted();
    }

    @Test
    void scansAGenerated200MiBStreamWithA32MiBHeap() throws Exception {
        // given a child JVM limited to 32 MiB of heap, scanning a 200 MiB stream generated as it is read
        long total = 200L << 20;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HugeStreamMain.class.getName(), Long.toString(total)).redirectErrorStream(true).start();
        // when
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        // then it finishes and finds each planted value at its offset
        assertThat(done).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<Long, String> plants = HugeStreamMain.plants(total);
        assertThat(out).contains("outcome SCANNED bytes " + total);
        assertThat(out.lines().filter(l -> !l.startsWith("outcome")).collect(Collectors.toList())).containsExactly(
                "us_ssn 1000", "credit_card " + ((1L << 20) - 3), "email " + (total / 2), "us_phone " + (total - 100));
        assertThat(plants).hasSize(4);
    }

    @Test
    void scanReadsAStreamOfUnknownLengthToItsEnd() throws IOException {
        // given
        byte[] content = GeneratedText.withValueAt(100_000, 99_000, "219-48-3306");
        // when
        ScanResult r = ContentScanner.defaults().scan(new ByteArrayInputStream(content));
        // then
        assertThat(r.bytesRead()).isEqualTo(100_000);
        assertThat(Scans.describe(r.findings())).containsExactly("us_ssn@99000=***-**-3306");
    }
}
