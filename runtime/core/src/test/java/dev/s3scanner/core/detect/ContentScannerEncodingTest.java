package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Case 12 and the other encodings objects really hold. */
class ContentScannerEncodingTest {
    private static final String CASE12 = "/cases/12-non-utf8-and-binary/";

    @Test
    void case12Latin1RecordFindsTheSsnAndTheAddress() {
        // given ISO-8859-1 text (0xE9 bytes), which strict UTF-8 decoding rejects
        ScanResult r = Scans.scan(LabeledCorpus.resource(CASE12 + "latin1-record.txt"));
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.SCANNED);
        assertThat(Scans.describe(r.findings())).containsExactly("us_ssn@44=***-**-3306", "email@65=h********@example.com");
        assertThat(r.findings().get(0).context()).contains("Référence SSN: ***-**-3306");
    }

    @Test
    void case12Cp1252QuotesFindTheCard() {
        // given a card between CP1252 smart quotes (0x93, 0x94)
        ScanResult r = Scans.scan(LabeledCorpus.resource(CASE12 + "cp1252-quotes.txt"));
        // then
        assertThat(Scans.describe(r.findings())).containsExactly("credit_card@7=**** **** **** 1111");
        assertThat(r.findings().get(0).context()).startsWith("Note: \u201c**** **** **** 1111\u201d was the test card");
    }

    @Test
    void case12Utf16WithBomFindsThePhoneAndTheSsnAtTheirByteOffsets() {
        // given UTF-16LE with a BOM: offsets count the BOM and two bytes per character
        ScanResult r = Scans.scan(LabeledCorpus.resource(CASE12 + "utf16le-bom.txt"));
        // then
        assertThat(Scans.describe(r.findings())).containsExactly("us_phone@14=(***) ***-0147", "us_ssn@54=***-**-3306");
        assertThat(r.findings().get(1).context()).isEqualTo("phone (***) ***-0147, ssn ***-**-3306  ");
    }

    @Test
    void case12Utf8WithAStrayByteFindsTheSsnAfterIt() {
        // when
        ScanResult r = Scans.scan(LabeledCorpus.resource(CASE12 + "utf8-with-invalid-byte.txt"));
        // then
        assertThat(Scans.describe(r.findings())).containsExactly("us_ssn@32=***-**-3306");
    }

    @Test
    void case12PngIsSkippedAsBinaryWithAReason() {
        // when
        ScanResult r = Scans.scan(LabeledCorpus.resource(CASE12 + "binary-with-text.png"));
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.BINARY);
        assertThat(r.detail()).isEqualTo("binary content (PNG image)");
        assertThat(r.findings()).isEmpty();
        assertThat(r.findingCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"UTF-16BE, true, 2", "UTF-16LE, true, 2", "UTF-16LE, false, 0", "UTF-16BE, false, 0"})
    void transcodesUtf16WithAndWithoutABom(String charset, boolean bom, int base) {
        // given
        byte[] body = "mail jane@example.com ssn 219-48-3306".getBytes(Charset.forName(charset));
        byte[] mark = !bom ? new byte[0] : charset.endsWith("BE") ? new byte[] {(byte) 0xFE, (byte) 0xFF} : new byte[] {(byte) 0xFF, (byte) 0xFE};
        // when
        ScanResult r = Scans.scan(GeneratedText.concat(mark, body));
        // then
        assertThat(Scans.describe(r.findings())).containsExactly("email@" + (base + 10) + "=j***@example.com",
                "us_ssn@" + (base + 52) + "=***-**-3306");
    }

    @Test
    void findsUtf16ValuesAcrossChunkBoundariesOnce() {
        // given UTF-16LE text and small chunks
        ContentScanner scanner = ContentScanner.builder().chunkBytes(4096).build();
        List<String> wrong = new ArrayList<>();
        int boundary = ContentScanner.PREFIX + 4096; // in characters
        for (int at = boundary - 14; at <= boundary + 2; at++) {
            byte[] text = GeneratedText.withValueAt(3 * 4096, at, "219-48-3306");
            byte[] utf16 = GeneratedText.concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                    new String(text, StandardCharsets.US_ASCII).getBytes(StandardCharsets.UTF_16LE));
            // when
            List<String> found = Scans.describe(Scans.scan(scanner, utf16).findings());
            // then
            if (!found.equals(List.of("us_ssn@" + (2 + 2L * at) + "=***-**-3306"))) {
                wrong.add(at + " -> " + found);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void skipsAUtf8BomAndCountsItInOffsets() {
        // given
        byte[] content = GeneratedText.concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "ssn 219-48-3306".getBytes(StandardCharsets.UTF_8));
        // when / then
        assertThat(Scans.describe(Scans.scan(content).findings())).containsExactly("us_ssn@7=***-**-3306");
    }

    @Test
    void reportsUtf32AsUnsupported() {
        // given
        byte[] content = GeneratedText.concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, "ssn 219-48-3306".getBytes(Charset.forName("UTF-32LE")));
        // when
        ScanResult r = Scans.scan(content);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.UNSUPPORTED);
        assertThat(r.detail()).isEqualTo("UTF-32 text is not supported");
    }

    @Test
    void skipsContentWithNulBytes() {
        // given text with a NUL in the first 8 KiB
        byte[] content = "header\0ssn 219-48-3306".getBytes(StandardCharsets.US_ASCII);
        // when
        ScanResult r = Scans.scan(content);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.BINARY);
        assertThat(r.detail()).isEqualTo("binary content (NUL bytes)");
    }

    @Test
    void scansAnEmptyObject() {
        // when
        ScanResult r = Scans.scan(new byte[0]);
        // then
        assertThat(r.outcome()).isEqualTo(ScanOutcome.SCANNED);
        assertThat(r.detail()).isNull();
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void redactsContextWhateverDetectorsRun() {
        // given a job that only looks for emails, and other sensitive values around one
        ContentScanner emailsOnly = ContentScanner.forOptions(DetectionOptions.only(DetectorId.EMAIL));
        String text = "ssn 219-48-3306 card 4111 1111 1111 1111 mail jane@example.com other bob@example.org key AKIAIOSFODNN7EXAMPLE";
        // when
        List<Finding> found = Scans.scan(emailsOnly, text.getBytes(StandardCharsets.US_ASCII)).findings();
        // then the context hides them too, even where its edge cuts them
        assertThat(found).hasSize(2);
        assertThat(found.get(0).context())
                .isEqualTo("#-##-#### card #### #### #### #### mail j***@example.com other b**@example.org key #############");
        assertThat(found.get(1).context()).endsWith("key ####################");
    }
}
