package dev.s3scanner.core.detect;

import java.util.Map;

/**
 * Scans a generated stream of the given size in the JVM it runs in and prints the outcome and each
 * finding as {@code detector offset}. Run by {@link ContentScannerStreamingTest} in a child JVM with
 * a small {@code -Xmx}, to show the heap stays flat whatever the object's size.
 */
public final class HugeStreamMain {
    /** Offsets of the planted values: start, a 1 MiB boundary, middle, end. */
    static Map<Long, String> plants(long total) {
        return Map.of(
                1000L, "219-48-3306",
                (1L << 20) - 3, "4111 1111 1111 1111",
                total / 2, "help.desk@example.com",
                total - 100, "(212) 555-0147");
    }

    private HugeStreamMain() {
    }

    public static void main(String[] args) throws Exception {
        long total = Long.parseLong(args[0]);
        ScanResult r = ContentScanner.defaults().scan(GeneratedText.stream(total, plants(total)));
        System.out.println("outcome " + r.outcome() + " bytes " + r.bytesRead() + " maxheap " + Runtime.getRuntime().maxMemory());
        for (Finding f : r.findings()) {
            System.out.println(f.detector() + " " + f.byteOffset());
        }
    }
}
