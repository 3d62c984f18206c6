package dev.s3scanner.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** {@code examples/sample-bucket} and its answer key, for worker tests. */
final class SampleBucketFiles {
    static final Path ROOT = findRoot();
    static final Path BUCKET = ROOT.resolve("examples/sample-bucket");
    static final Path EXPECTED = ROOT.resolve("examples/sample-bucket-expected");

    private SampleBucketFiles() {
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

    /** Copies the sample bucket's objects into {@code target} (a bucket folder of the S3 stand-in). */
    static void copyTo(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(BUCKET)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = target.resolve(BUCKET.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    /** Rows of an answer-key file without its header, split on tabs. */
    static List<String[]> rows(String file) throws IOException {
        List<String> lines = Files.readAllLines(EXPECTED.resolve(file), StandardCharsets.UTF_8);
        List<String[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            out.add(line.split("\t", -1));
        }
        return out;
    }

    /**
     * The raw values behind the expected findings of the plain UTF-8 objects, cut out of the files
     * at the recorded offsets (a mask has its value's length).
     */
    static Set<String> rawValues() throws IOException {
        Set<String> raw = new TreeSet<>();
        for (String[] f : rows("findings.tsv")) {
            if (f[0].endsWith(".gz") || f[0].contains("latin1") || f[0].contains("ad-users") || f[0].contains("ticket-4471")) {
                continue; // not UTF-8 on disk
            }
            byte[] bytes = Files.readAllBytes(BUCKET.resolve(f[0]));
            int offset = Integer.parseInt(f[2]);
            raw.add(new String(bytes, offset, f[3].getBytes(StandardCharsets.UTF_8).length, StandardCharsets.UTF_8));
        }
        return raw;
    }
}
