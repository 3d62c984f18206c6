package dev.s3scanner.core.testing;

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
import java.util.stream.Stream;

/**
 * The built-in example bucket ({@code examples/sample-bucket}) and its answer key
 * ({@code examples/sample-bucket-expected/}), found from the working directory upwards, for the
 * tests of every module.
 */
public final class SampleBucket {
    /** The repository's root. */
    public static final Path ROOT = findRoot();
    /** The example bucket's folder: one file per object, keys relative to it. */
    public static final Path BUCKET = ROOT.resolve("examples/sample-bucket");
    /** The answer key's folder. */
    public static final Path EXPECTED = ROOT.resolve("examples/sample-bucket-expected");

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

    /** The lines of an answer-key file ({@code findings.tsv}, {@code objects.tsv}) without its header or blank lines. */
    public static List<String> lines(String file) throws IOException {
        List<String> lines = Files.readAllLines(EXPECTED.resolve(file), StandardCharsets.UTF_8);
        return new ArrayList<>(lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList());
    }

    /** The rows of an answer-key file, each split on tabs (empty fields kept). */
    public static List<String[]> rows(String file) throws IOException {
        return lines(file).stream().map(l -> l.split("\t", -1)).toList();
    }

    /** Expected findings as {@code key \t detector \t offset \t masked} lines. */
    public static Set<String> expectedFindings() throws IOException {
        return new TreeSet<>(lines("findings.tsv"));
    }

    /** Expected terminal state (and reason) per key, as {@code state} or {@code state:reason}. */
    public static Map<String, String> expectedObjects() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] f : rows("objects.tsv")) {
            out.put(f[0], f.length > 2 && !f[2].isEmpty() ? f[1] + ":" + f[2] : f[1]);
        }
        return out;
    }

    /**
     * The raw sensitive values of the plain UTF-8 objects, cut out of the files at the expected
     * offsets (every mask has the length of its value), for "never stored, logged or enqueued" checks.
     */
    public static Set<String> rawValues() throws IOException {
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

    /** The objects' files, in path order. */
    public static List<Path> objectFiles() throws IOException {
        try (Stream<Path> files = Files.walk(BUCKET)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Copies the objects into {@code target} (a bucket folder of an S3 stand-in), keys kept. */
    public static void copyTo(Path target) throws IOException {
        for (Path f : objectFiles()) {
            Path to = target.resolve(BUCKET.relativize(f).toString());
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
    }
}
