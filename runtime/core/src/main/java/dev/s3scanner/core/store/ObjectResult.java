package dev.s3scanner.core.store;

import dev.s3scanner.core.detect.Finding;
import java.util.List;
import java.util.Objects;

/**
 * The terminal outcome of one object, as a worker records it.
 *
 * @param key          object key
 * @param state        a terminal state
 * @param reason       why it was skipped or failed, else {@code null}
 * @param detail       details for the reason (never a raw value), else {@code null}
 * @param findings     the findings to store (masked)
 * @param findingCount every finding seen (may exceed {@code findings.size()} when capped)
 * @param bytesScanned bytes read and scanned
 */
public record ObjectResult(String key, ObjectState state, String reason, String detail, List<Finding> findings,
                           long findingCount, long bytesScanned) {
    public ObjectResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("an object result must be terminal, was " + state);
        }
        findings = List.copyOf(findings);
    }

    /** A scanned object. */
    public static ObjectResult succeeded(String key, List<Finding> findings, long findingCount, long bytesScanned) {
        return new ObjectResult(key, ObjectState.SUCCEEDED, null, null, findings, findingCount, bytesScanned);
    }

    /** An object skipped for {@code reason}. */
    public static ObjectResult skipped(String key, String reason, String detail) {
        return new ObjectResult(key, ObjectState.SKIPPED, reason, detail, List.of(), 0, 0);
    }

    /** An object that failed for {@code reason}. */
    public static ObjectResult failed(String key, String reason, String detail) {
        return new ObjectResult(key, ObjectState.FAILED, reason, detail, List.of(), 0, 0);
    }
}
