package dev.s3scanner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The built-in example bucket and its answer key ({@code examples/sample-bucket-expected/}). */
final class SampleBucket {
    static final Path ROOT = findRoot();
    static final Path BUCKET = ROOT.resolve("examples/sample-bucket");
    static final Path EXPECTED = ROOT.resolve("examples/sample-bucket-expected");

    private SampleBucket() {
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/sample-bucket"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("examples/sample-bucket not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Expected findings as {@code key \t detector \t offset \t masked} lines. */
    static Set<String> expectedFindings() throws IOException {
        return new TreeSet<>(rows("findings.tsv"));
    }

    /** Expected terminal state (and reason) per key, as {@code state} or {@code state:reason}. */
    static Map<String, String> expectedObjects() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String row : rows("objects.tsv")) {
            String[] f = row.split("\t", -1);
            out.put(f[0], f.length > 2 && !f[2].isEmpty() ? f[1] + ":" + f[2] : f[1]);
        }
        return out;
    }

    private static List<String> rows(String file) throws IOException {
        List<String> lines = Files.readAllLines(EXPECTED.resolve(file), StandardCharsets.UTF_8);
        return new ArrayList<>(lines.subList(1, lines.size()));
    }

    /**
     * The raw sensitive values of the plain UTF-8 objects, cut out of the files at the expected
     * offsets (every mask has the length of its value), for "never stored, logged or enqueued" checks.
     */
    static Set<String> rawValues() throws IOException {
        Set<String> raw = new TreeSet<>();
        for (String row : expectedFindings()) {
            String[] f = row.split("\t");
            Path file = BUCKET.resolve(f[0]);
            if (f[0].endsWith(".gz") || f[0].contains("latin1") || f[0].contains("ad-users") || f[0].contains("ticket-4471")) {
                continue; // not UTF-8 on disk
            }
            byte[] bytes = Files.readAllBytes(file);
            int offset = Integer.parseInt(f[2]);
            int length = f[3].getBytes(StandardCharsets.UTF_8).length;
            raw.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
        return raw;
    }
}
