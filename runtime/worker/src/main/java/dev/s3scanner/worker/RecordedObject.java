package dev.s3scanner.worker;

import dev.s3scanner.core.store.ObjectResult;
import java.util.Objects;

/**
 * An object whose terminal state the worker has just committed.
 *
 * @param result        the recorded outcome (findings masked)
 * @param latencyMillis milliseconds from the start of its GetObject (or its size check, for an
 *                      object skipped without a GET) to the commit of its state
 */
public record RecordedObject(ObjectResult result, long latencyMillis) {
    public RecordedObject {
        Objects.requireNonNull(result, "result");
    }
}
