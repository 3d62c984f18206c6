package dev.s3scanner.local;

import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ObjectState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** The end-of-scan summary: objects by state (with reasons), findings by detector, time. */
final class Summary {
    private Summary() {
    }

    static void print(PrintStream out, String target, JobProgress p, Duration took, JobStore store) {
        out.printf("Scanned %s%n", target);
        out.printf("Job %s: %s in %s%n", p.jobId(), p.status().dbValue(), ProgressBar.seconds(took));
        if (p.statusReason() != null && !p.status().equals(dev.s3scanner.core.store.JobStatus.COMPLETED)) {
            out.printf("  reason: %s%n", p.statusReason());
        }
        out.printf("Objects: %d listed, %d succeeded, %d skipped, %d failed%n", p.listed(), p.count("succeeded"),
                p.count("skipped"), p.count("failed"));
        for (String state : new String[] {"skipped", "failed"}) {
            Map<String, Long> reasons = p.byPrefix(state + ":");
            if (!reasons.isEmpty()) {
                StringJoiner j = new StringJoiner(", ");
                reasons.forEach((reason, n) -> j.add(reason + " " + n));
                out.printf("  %s: %s%n", state, j);
            }
        }
        for (ObjectState state : new ObjectState[] {ObjectState.FAILED}) {
            for (JobStore.ObjectRow row : store.objects(p.jobId(), state, 20)) {
                out.printf("  %s %s: %s%n", state.dbValue(), row.key(), row.detail() == null ? row.reason() : row.detail());
            }
        }
        Map<String, Long> byDetector = p.byPrefix("findings:");
        StringJoiner j = new StringJoiner(", ");
        byDetector.forEach((detector, n) -> j.add(detector + " " + n));
        out.printf("Findings: %d%s%n", p.findings(), byDetector.isEmpty() ? "" : " (" + j + ")");
    }
}
