package dev.s3scanner.core.detect;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ContentScanner#scan} found in one object.
 *
 * @param outcome      how the content was handled
 * @param detail       why it was not fully scanned, or {@code null} when {@code outcome} is {@link ScanOutcome#SCANNED}
 * @param findings     the findings kept, in byte-offset order within each entry and entries in archive order,
 *                     at most the scanner's per-object cap
 * @param findingCount every finding seen, including those beyond the cap
 * @param bytesRead    bytes read from the stream (compressed bytes for gzip, bzip2 and archives)
 */
public record ScanResult(ScanOutcome outcome, String detail, List<Finding> findings, long findingCount, long bytesRead) {
    public ScanResult {
        Objects.requireNonNull(outcome, "outcome");
        findings = List.copyOf(findings);
    }

    /** A result with no findings for content that was not scanned. */
    public static ScanResult notScanned(ScanOutcome outcome, String detail, long bytesRead) {
        return new ScanResult(outcome, detail, List.of(), 0, bytesRead);
    }
}
