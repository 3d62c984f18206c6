package dev.s3scanner.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.testing.SampleBucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The example bucket ({@code examples/sample-bucket}) against its answer key, which was written
 * independently of these detectors ({@code examples/sample-bucket-expected/}): every expected
 * finding at its offset with its masked value, nothing else, and none of the listed decoys.
 */
class SampleBucketAnswerKeyTest {
    @Test
    void reportsExactlyTheAnswerKeysFindings() throws IOException {
        // given every object of the example bucket
        Set<String> expected = SampleBucket.expectedFindings();
        Set<String> got = new TreeSet<>();
        // when each is scanned with the default detectors
        for (Path p : objects()) {
            String key = SampleBucket.BUCKET.relativize(p).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(p)) {
                for (Finding f : ContentScanner.defaults().scan(in).findings()) {
                    got.add(key + "\t" + f.detector() + "\t" + f.byteOffset() + "\t" + f.maskedValue());
                }
            }
        }
        // then the findings are exactly the key's
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(expected).hasSize(228);
    }

    @Test
    void skipsOnlyThePngAsBinary() throws IOException {
        // given
        List<String> outcomes = new ArrayList<>();
        // when
        for (Path p : objects()) {
            try (InputStream in = Files.newInputStream(p)) {
                ScanResult r = ContentScanner.defaults().scan(in);
                if (r.outcome() != ScanOutcome.SCANNED) {
                    outcomes.add(p.getFileName() + " " + r.outcome() + " " + r.detail());
                }
            }
        }
        // then
        assertThat(outcomes).containsExactly("screenshot-4471.png BINARY binary content (PNG image)");
    }

    private static List<Path> objects() throws IOException {
        return SampleBucket.objectFiles();
    }
}
