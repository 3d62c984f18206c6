package dev.s3scanner.local;

import dev.s3scanner.core.store.JobProgress;
import java.io.PrintStream;
import java.time.Duration;

/** A one-line progress bar on standard error, redrawn in place; silent when stderr is not a terminal. */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private int lastLength;

    ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    void update(JobProgress p) {
        if (!enabled) {
            return;
        }
        double pct = p.progressPercent();
        int filled = (int) Math.round(pct / 100 * WIDTH);
        String line = String.format("  %-10s [%s%s] %5.1f%%  %d/%d objects%s  %d findings  %s",
                p.status().dbValue(), "#".repeat(filled), ".".repeat(WIDTH - filled), pct, p.done(), p.listed(),
                p.listingDone() ? "" : "+", p.findings(), seconds(Duration.ofNanos(System.nanoTime() - startNanos)));
        String padded = line + " ".repeat(Math.max(0, lastLength - line.length()));
        lastLength = line.length();
        err.print("\r" + padded);
        err.flush();
    }

    void finish() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
