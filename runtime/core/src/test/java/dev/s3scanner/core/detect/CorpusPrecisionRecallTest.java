package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Precision and recall of every built-in detector over {@link LabeledCorpus} (generated values,
 * decoys of every kind, cases 19 and 20). A finding counts as a true positive when its detector and
 * byte offset equal a label's.
 */
class CorpusPrecisionRecallTest {
    private static final double THRESHOLD = 0.99;
    private static final Map<String, int[]> COUNTS = new LinkedHashMap<>(); // tp, fp, fn
    private static final List<String> MISTAKES = new ArrayList<>();
    private static List<LabeledCorpus.Doc> docs;
    private static final Map<String, ScanResult> RESULTS = new LinkedHashMap<>();

    @BeforeAll
    static void scanCorpus() throws IOException {
        docs = LabeledCorpus.generate(20240601L);
        ContentScanner scanner = ContentScanner.builder().chunkBytes(4096).build();
        for (String id : DetectionOptions.BUILT_IN) {
            COUNTS.put(id, new int[3]);
        }
        for (LabeledCorpus.Doc doc : docs) {
            ScanResult r = scanner.scan(new ByteArrayInputStream(doc.content()));
            RESULTS.put(doc.name(), r);
            Set<String> expected = new HashSet<>();
            for (LabeledCorpus.Label l : doc.labels()) {
                expected.add(l.detector() + "@" + l.offset());
            }
            Set<String> found = new HashSet<>();
            for (Finding f : r.findings()) {
                String key = f.detector() + "@" + f.byteOffset();
                found.add(key);
                if (expected.contains(key)) {
                    COUNTS.get(f.detector())[0]++;
                } else {
                    COUNTS.get(f.detector())[1]++;
                    MISTAKES.add("FP " + doc.name() + " " + key + " " + f.maskedValue() + " | " + f.context());
                }
            }
            for (LabeledCorpus.Label l : doc.labels()) {
                if (!found.contains(l.detector() + "@" + l.offset())) {
                    COUNTS.get(l.detector())[2]++;
                    MISTAKES.add("FN " + doc.name() + " " + l.detector() + "@" + l.offset() + " " + Masking.keepEnds(l.value(), 2, 2));
                }
            }
        }
        StringBuilder table = new StringBuilder("detector               labels    TP   FP   FN  precision  recall\n");
        for (Map.Entry<String, int[]> e : COUNTS.entrySet()) {
            int[] c = e.getValue();
            table.append(String.format("%-22s %6d %5d %4d %4d %10.4f %7.4f%n", e.getKey(), c[0] + c[2], c[0], c[1], c[2],
                    precision(c), recall(c)));
        }
        System.out.print(table);
        MISTAKES.forEach(m -> System.out.println("  " + m));
    }

    static List<String> detectors() {
        return DetectionOptions.BUILT_IN;
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void precisionIsAtLeast99Percent(String detector) {
        // given the corpus scanned once (in @BeforeAll)
        int[] c = COUNTS.get(detector);
        // then
        assertThat(c[0] + c[2]).as("labels for %s", detector).isGreaterThanOrEqualTo(100);
        assertThat(precision(c)).as("precision of %s", detector).isGreaterThanOrEqualTo(THRESHOLD);
    }

    @ParameterizedTest
    @MethodSource("detectors")
    void recallIsAtLeast99Percent(String detector) {
        // given the corpus scanned once (in @BeforeAll)
        int[] c = COUNTS.get(detector);
        // then
        assertThat(recall(c)).as("recall of %s", detector).isGreaterThanOrEqualTo(THRESHOLD);
    }

    @Test
    void noFindingFieldHoldsARawValue() {
        // given every labeled value and the findings of its document
        List<String> leaks = new ArrayList<>();
        for (LabeledCorpus.Doc doc : docs) {
            ScanResult r = RESULTS.get(doc.name());
            for (LabeledCorpus.Label l : doc.labels()) {
                String raw = l.value();
                String digits = raw.replaceAll("[^0-9]", "");
                boolean numeric = !l.detector().equals(DetectorId.EMAIL) && !l.detector().startsWith("aws_");
                for (Finding f : r.findings()) {
                    // when each field is searched for the raw value (and, for numbers, its bare digits)
                    for (String field : List.of(f.maskedValue(), f.context(), f.entryPath(), f.detector())) {
                        if (field.contains(raw) || (numeric && field.replaceAll("[^0-9]", " ").contains(digits))) {
                            leaks.add(doc.name() + " " + l.detector() + "@" + l.offset());
                        }
                    }
                }
            }
        }
        // then none is there
        assertThat(leaks).isEmpty();
    }

    @Test
    void corpusHoldsDecoysOfEveryKind() {
        // given the corpus: documents with no label are decoy-only (secret decoys), the rest mix both
        long decoyOnly = docs.stream().filter(d -> d.name().startsWith("secret-decoys")).count();
        // then there are decoy-only documents and they produce no finding at all
        assertThat(decoyOnly).isGreaterThan(0);
        for (LabeledCorpus.Doc d : docs) {
            if (d.name().startsWith("secret-decoys")) {
                assertThat(RESULTS.get(d.name()).findings()).as(d.name()).isEmpty();
            }
        }
    }

    private static double precision(int[] c) {
        return c[0] + c[1] == 0 ? 1.0 : (double) c[0] / (c[0] + c[1]);
    }

    private static double recall(int[] c) {
        return c[0] + c[2] == 0 ? 1.0 : (double) c[0] / (c[0] + c[2]);
    }
}
