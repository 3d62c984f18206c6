package dev.s3scanner.core.detect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: scan text and describe findings compactly. */
final class Scans {
    private static final ContentScanner DEFAULT = ContentScanner.defaults();

    private Scans() {
    }

    static ScanResult scan(ContentScanner scanner, byte[] content) {
        try {
            return scanner.scan(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScanResult scan(byte[] content) {
        return scan(DEFAULT, content);
    }

    static List<Finding> findings(String text) {
        return scan(text.getBytes(StandardCharsets.UTF_8)).findings();
    }

    /** Findings as {@code detector@offset=masked}. */
    static List<String> describe(List<Finding> findings) {
        return findings.stream().map(f -> f.detector() + "@" + f.byteOffset() + "=" + f.maskedValue()).collect(Collectors.toList());
    }

    static List<String> describe(String text) {
        return describe(findings(text));
    }

    /** Findings of one detector as {@code offset=masked}. */
    static List<String> of(String detector, String text) {
        return findings(text).stream().filter(f -> f.detector().equals(detector))
                .map(f -> f.byteOffset() + "=" + f.maskedValue()).collect(Collectors.toList());
    }
}
