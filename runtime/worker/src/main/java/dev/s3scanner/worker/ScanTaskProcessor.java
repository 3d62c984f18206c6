package dev.s3scanner.worker;

import dev.s3scanner.core.detect.ContentScanner;
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

/**
 * Handles one scan task: skips objects that are already terminal (a redelivery), scans the open
 * ones in parallel (bounded by a shared permit pool), and records all their outcomes in one
 * transaction. The caller deletes the message only when this returns {@link Disposition#DONE}.
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

    /**
     * @param store         job store
     * @param objects       per-object fetch and scan
     * @param objectPool    runs object scans
     * @param objectPermits bounds the objects in flight across all messages (back-pressure)
     * @param scannerForJob the content scanner for a job's detection options (cache it)
     */
    public ScanTaskProcessor(JobStore store, ObjectScanner objects, ExecutorService objectPool, Semaphore objectPermits,
                             Function<Job, ContentScanner> scannerForJob) {
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
        List<CompletableFuture<ObjectResult>> futures = new ArrayList<>();
        for (ObjectRef o : task.objects()) {
            if (!open.contains(o.key())) {
                continue;
            }
            objectPermits.acquire();
            futures.add(CompletableFuture.supplyAsync(() -> scanOne(job, task.bucket(), o, scanner), objectPool));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<ObjectResult> results = new ArrayList<>();
            boolean retry = false;
            for (CompletableFuture<ObjectResult> f : futures) {
                ObjectResult r = f.join();
                if (r == null) {
                    retry = true;
                } else {
                    results.add(r);
                }
            }
            store.recordResults(job.jobId(), results);
            return retry ? Disposition.RETRY : Disposition.DONE;
        });
    }

    /** Scans one object; {@code null} means "try again later". Releases the object's permit. */
    private ObjectResult scanOne(Job job, String bucket, ObjectRef o, ContentScanner scanner) {
        try {
            return objects.scan(bucket, o, scanner);
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
        } finally {
            objectPermits.release();
        }
    }
}
