package dev.s3scanner.worker;

import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Handles one scan task: skips objects that are already terminal (a redelivery), scans the open
 * ones in parallel (bounded by a shared permit pool), and records all their outcomes in one
 * transaction. The caller deletes the message only when this returns {@link Disposition#DONE}.
 * After the commit it tells its {@link ScanListener} (metrics, finding events). Log lines carry
 * the job id (field {@code job_id}) and, for one object's work, its key (field {@code key}).
 */
public final class ScanTaskProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ScanTaskProcessor.class);

    /** What to do with the message afterwards. */
    public enum Disposition {
        /** Every object is recorded terminal: delete the message. */
        DONE,
        /** Some objects must be tried again: leave the message to reappear after its visibility timeout. */
        RETRY
    }

    private final JobStore store;
    private final ObjectScanner objects;
    private final ExecutorService objectPool;
    private final Semaphore objectPermits;
    private final Function<Job, ContentScanner> scannerForJob;
    private final ScanListener listener;

    /**
     * @param store         job store
     * @param objects       per-object fetch and scan
     * @param objectPool    runs object scans
     * @param objectPermits bounds the objects in flight across all messages (back-pressure)
     * @param scannerForJob the content scanner for a job's detection options (cache it)
     */
    public ScanTaskProcessor(JobStore store, ObjectScanner objects, ExecutorService objectPool, Semaphore objectPermits,
                             Function<Job, ContentScanner> scannerForJob) {
        this(store, objects, objectPool, objectPermits, scannerForJob, ScanListener.NONE);
    }

    /**
     * @param store         job store
     * @param objects       per-object fetch and scan
     * @param objectPool    runs object scans
     * @param objectPermits bounds the objects in flight across all messages (back-pressure)
     * @param scannerForJob the content scanner for a job's detection options (cache it)
     * @param listener      told about committed objects and processed tasks
     */
    public ScanTaskProcessor(JobStore store, ObjectScanner objects, ExecutorService objectPool, Semaphore objectPermits,
                             Function<Job, ContentScanner> scannerForJob, ScanListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.store = Objects.requireNonNull(store, "store");
        this.objects = Objects.requireNonNull(objects, "objects");
        this.objectPool = Objects.requireNonNull(objectPool, "objectPool");
        this.objectPermits = Objects.requireNonNull(objectPermits, "objectPermits");
        this.scannerForJob = Objects.requireNonNull(scannerForJob, "scannerForJob");
    }

    /**
     * Processes one task and waits for it.
     *
     * @throws InterruptedException when interrupted while waiting for a permit (shutdown)
     * @throws dev.s3scanner.core.store.StoreException when the database fails (the message stays)
     */
    public Disposition process(ScanTask task) throws InterruptedException {
        try {
            return submit(task).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Starts processing one task: checks the job and which objects are still open on the calling
     * thread, then hands each open object to the object pool, taking a permit per object (so the
     * caller blocks while the pool is full: back-pressure on receiving). The returned future
     * completes once every object's outcome is recorded in one transaction.
     *
     * @return the disposition; completes exceptionally with a {@code StoreException} when recording fails
     * @throws InterruptedException when interrupted while waiting for a permit (shutdown)
     * @throws dev.s3scanner.core.store.StoreException when the database fails before any object is started
     */
    public CompletableFuture<Disposition> submit(ScanTask task) throws InterruptedException {
        try (MDC.MDCCloseable c = MDC.putCloseable(LogFields.JOB_ID, task.jobId().toString())) {
            return submitWithinJob(task).thenApply(d -> {
                tell(listener::taskProcessed);
                return d;
            });
        }
    }

    private CompletableFuture<Disposition> submitWithinJob(ScanTask task) throws InterruptedException {
        Optional<Job> found = store.findJob(task.jobId());
        if (found.isEmpty()) {
            LOG.warn("scan task for unknown job {}: dropped", task.jobId());
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
        Job job = found.get();
        List<String> keys = task.objects().stream().map(ObjectRef::key).toList();
        Set<String> open = store.openObjects(job.jobId(), keys);
        if (open.isEmpty()) {
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
        if (job.status() == JobStatus.CANCELLED || job.status() == JobStatus.FAILED) {
            List<ObjectResult> skipped = new ArrayList<>();
            for (String key : open) {
                skipped.add(ObjectResult.skipped(key, ObjectReason.CANCELLED, "job " + job.status().dbValue()));
            }
            store.recordResults(job.jobId(), skipped);
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
        ContentScanner scanner;
        try {
            scanner = scannerForJob.apply(job);
        } catch (IllegalArgumentException e) {
            LOG.error("job {}: {}", job.jobId(), e.getMessage());
            List<ObjectResult> failed = new ArrayList<>();
            for (String key : open) {
                failed.add(ObjectResult.failed(key, ObjectReason.ERROR, e.getMessage()));
            }
            store.recordResults(job.jobId(), failed);
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
        List<CompletableFuture<Timed>> futures = new ArrayList<>();
        for (ObjectRef o : task.objects()) {
            if (!open.contains(o.key())) {
                continue;
            }
            objectPermits.acquire();
            futures.add(CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                return new Timed(scanOne(job, task.bucket(), o, scanner), start);
            }, objectPool));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<ObjectResult> results = new ArrayList<>();
            List<Timed> timed = new ArrayList<>();
            boolean retry = false;
            for (CompletableFuture<Timed> f : futures) {
                Timed t = f.join();
                if (t.result() == null) {
                    retry = true;
                } else {
                    results.add(t.result());
                    timed.add(t);
                }
            }
            store.recordResults(job.jobId(), results);
            long committed = System.nanoTime();
            List<RecordedObject> recorded = timed.stream()
                    .map(t -> new RecordedObject(t.result(), (committed - t.startNanos()) / 1_000_000)).toList();
            if (!recorded.isEmpty()) {
                try (MDC.MDCCloseable c = MDC.putCloseable(LogFields.JOB_ID, job.jobId().toString())) {
                    tell(() -> listener.objectsRecorded(job, task.bucket(), recorded));
                }
            }
            return retry ? Disposition.RETRY : Disposition.DONE;
        });
    }

    /** One object's outcome ({@code null}: try again later) and when its work started. */
    private record Timed(ObjectResult result, long startNanos) {
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("scan listener failed: {}", e.toString());
        }
    }

    /** Scans one object; {@code null} means "try again later". Releases the object's permit. */
    private ObjectResult scanOne(Job job, String bucket, ObjectRef o, ContentScanner scanner) {
        try (MDC.MDCCloseable j = MDC.putCloseable(LogFields.JOB_ID, job.jobId().toString());
             MDC.MDCCloseable k = MDC.putCloseable(LogFields.KEY, o.key())) {
            return scanWithinObject(job, bucket, o, scanner);
        } finally {
            objectPermits.release();
        }
    }

    private ObjectResult scanWithinObject(Job job, String bucket, ObjectRef o, ContentScanner scanner) {
        try {
            ObjectResult r = objects.scan(bucket, o, scanner);
            if (LOG.isDebugEnabled()) {
                LOG.debug("object {}{}: {} findings, {} bytes scanned", r.state().dbValue(),
                        r.reason() == null ? "" : " (" + r.reason() + ")", r.findingCount(), r.bytesScanned());
            }
            return r;
        } catch (RetryableObjectException e) {
            LOG.warn("job {} object {}: {}; will retry", job.jobId(), o.key(), e.getMessage());
            try {
                store.recordAttemptError(job.jobId(), o.key(), e.getMessage());
            } catch (RuntimeException dbError) {
                LOG.warn("could not record the attempt error: {}", dbError.toString());
            }
            return null;
        } catch (RuntimeException e) {
            LOG.error("job {} object {}: unexpected error", job.jobId(), o.key(), e);
            return ObjectResult.failed(o.key(), ObjectReason.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
