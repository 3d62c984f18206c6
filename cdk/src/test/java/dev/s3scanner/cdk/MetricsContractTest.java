package dev.s3scanner.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and alarms read the metrics the runtime publishes, but {@code cdk/} does not
 * depend on runtime code: this test holds {@link ScannerMetrics} to the runtime's
 * {@code dev.s3scanner.core.metrics.MetricNames} (read as source from the same repository), so a
 * metric renamed on one side fails the build instead of leaving an empty graph or a silent alarm.
 */
class MetricsContractTest {
    /** Service names the CDK sets in POWERTOOLS_SERVICE_NAME; the runtime reads them from there. */
    private static final Set<String> CDK_ONLY = Set.of("LISTER_SERVICE", "REFRESHER_SERVICE");

    @Test
    void everyMetricNameAndDimensionMatchesTheRuntimes() throws Exception {
        // given
        String runtime = Files.readString(Path.of("../runtime/core/src/main/java/dev/s3scanner/core/metrics/MetricNames.java"));

        // when
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Field f : ScannerMetrics.class.getFields()) {
            if (f.getType() != String.class || !Modifier.isStatic(f.getModifiers()) || CDK_ONLY.contains(f.getName())) {
                continue;
            }
            checked++;
            String declaration = "public static final String " + f.getName() + " = \"" + f.get(null) + "\";";
            if (!runtime.contains(declaration)) {
                missing.add(declaration);
            }
        }

        // then
        assertThat(checked).isEqualTo(16);
        assertThat(missing).as("ScannerMetrics constants absent from MetricNames").isEmpty();
    }
}
