package dev.s3scanner.worker;

import dev.s3scanner.core.store.Job;
import java.util.List;

/**
 * Told what the worker committed: metrics ({@link WorkerMetrics}) and finding events
 * ({@link FindingsEventPublisher}) listen. Called on the worker's threads after the transaction
 * that recorded the objects has committed; an implementation must return quickly (hand slow work
 * to its own client or thread) and must not throw: the processor logs and ignores what it throws,
 * and an object is never scanned again because of a listener.
 */
public interface ScanListener {
    /** Listens to nothing (the local runner's worker). */
    ScanListener NONE = new ScanListener() {
        @Override
        public void objectsRecorded(Job job, String bucket, List<RecordedObject> objects) {
        }

        @Override
        public void taskProcessed() {
        }
    };

    /**
     * Objects of one scan task scanned by this worker and now committed in a terminal state.
     *
     * @param job     their job
     * @param bucket  their bucket
     * @param objects the committed outcomes (objects already terminal before are not in it)
     */
    void objectsRecorded(Job job, String bucket, List<RecordedObject> objects);

    /** A scan task (one queue message) was processed to the end, whatever its disposition. */
    void taskProcessed();

    /** Tells every listener in turn. */
    static ScanListener all(List<ScanListener> listeners) {
        List<ScanListener> copy = List.copyOf(listeners);
        return new ScanListener() {
            @Override
            public void objectsRecorded(Job job, String bucket, List<RecordedObject> objects) {
                copy.forEach(l -> l.objectsRecorded(job, bucket, objects));
            }

            @Override
            public void taskProcessed() {
                copy.forEach(ScanListener::taskProcessed);
            }
        };
    }
}
