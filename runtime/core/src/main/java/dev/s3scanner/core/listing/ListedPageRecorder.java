package dev.s3scanner.core.listing;

import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectResult;
import dev.s3scanner.core.store.ObjectState;
import dev.s3scanner.core.store.PageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record-and-enqueue path shared by ListObjectsV2 listing and S3 Inventory reading: records a
 * page of objects in {@code job_objects} (COPY, one transaction), packs the queued ones into scan
 * tasks and sends them, marks objects whose task could not be sent as failed
 * ({@code enqueue_failed}), then marks the page enqueued.
 *
 * <p>Replaying a page (same job and page token, e.g. a retried Step Functions task) adds no rows;
 * if the first attempt had sent every task it sends nothing either, otherwise it sends the page's
 * tasks again (workers ignore objects already terminal, so a partial resend is harmless). Objects
 * whose key the job already had from another page are neither counted nor enqueued again.
 *
 * <p>{@link #batch(Job)} overlaps the pages of one step: each page is recorded at once (so the
 * listing and the database work stay in order) while the previous pages' tasks are still being
 * sent, and {@link Batch#finish()} waits for every send before marking the pages enqueued.
 */
public final class ListedPageRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ListedPageRecorder.class);

    private final JobStore store;
    private final ScanTaskSender sender;
    private final int maxBodyBytes;
    private final int maxObjectsPerTask;

    /**
     * @param store             the job store
     * @param sender            the scan-task sender
     * @param maxBodyBytes      byte budget per message body
     * @param maxObjectsPerTask objects per message
     */
    public ListedPageRecorder(JobStore store, ScanTaskSender sender, int maxBodyBytes, int maxObjectsPerTask) {
        this.store = Objects.requireNonNull(store, "store");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.maxBodyBytes = maxBodyBytes;
        this.maxObjectsPerTask = maxObjectsPerTask;
    }

    /**
     * What one page did.
     *
     * @param page            what recording the page found or did
     * @param queued          objects handed to the queue (0 for a replay of a page already enqueued)
     * @param tasksSent       messages sent
     * @param enqueueFailures objects whose message could not be sent (now failed, {@code enqueue_failed})
     */
    public record Outcome(PageRecord page, int queued, int tasksSent, int enqueueFailures) {
    }

    /**
     * Records and enqueues one page, and waits until its tasks are sent.
     *
     * @param job       the job (bucket and tenant are taken from it)
     * @param pageToken the token the page was read with ({@code ""} for the first)
     * @param nextToken the token after it, or {@code null}
     * @param objects   the page's objects, classified
     * @return what was done
     * @throws dev.s3scanner.core.store.StoreException when the database fails
     * @throws software.amazon.awssdk.core.exception.SdkException when a SendMessageBatch call fails as a whole
     */
    public Outcome record(Job job, String pageToken, String nextToken, List<ListedObject> objects) {
        Batch batch = batch(job);
        batch.record(pageToken, nextToken, objects);
        return batch.finish().get(0);
    }

    /** Starts recording several pages of one job whose sends overlap. Not thread-safe: one caller. */
    public Batch batch(Job job) {
        return new Batch(Objects.requireNonNull(job, "job"));
    }

    /** Pages of one job being recorded and enqueued; see {@link ListedPageRecorder#batch(Job)}. */
    public final class Batch {
        private final Job job;
        private final List<Pending> pending = new ArrayList<>();

        private Batch(Job job) {
            this.job = job;
        }

        /**
         * Records one page now and starts sending its tasks.
         *
         * @param pageToken the token the page was read with ({@code ""} for the first)
         * @param nextToken the token after it, or {@code null}
         * @param objects   the page's objects, classified
         * @return what recording the page found or did
         * @throws dev.s3scanner.core.store.StoreException when the database fails
         */
        public PageRecord record(String pageToken, String nextToken, List<ListedObject> objects) {
            PageRecord page = store.recordPage(job.jobId(), pageToken, nextToken, objects);
            if (page.enqueued()) {
                pending.add(new Pending(pageToken, page, 0, 0, CompletableFuture.completedFuture(List.of())));
                return page;
            }
            List<ObjectRef> refs = new ArrayList<>();
            for (ListedObject o : objects) {
                if (o.state() == ObjectState.QUEUED && !page.duplicateKeys().contains(o.key())) {
                    refs.add(new ObjectRef(o.key(), o.etag(), o.size(), o.versionId()));
                }
            }
            List<ScanTask> tasks = ScanTaskCodec.pack(job.jobId(), job.bucket(), refs, maxBodyBytes, maxObjectsPerTask);
            pending.add(new Pending(pageToken, page, refs.size(), tasks.size(), sender.sendAsync(tasks, job.tenant())));
            return page;
        }

        /**
         * Waits for every page's sends, records the objects whose task could not be sent as failed
         * ({@code enqueue_failed}) and marks the pages enqueued.
         *
         * @return one outcome per page, in the order recorded
         * @throws software.amazon.awssdk.core.exception.SdkException when a SendMessageBatch call
         *         failed as a whole: no page of this batch is marked enqueued, so a replay sends them again
         */
        public List<Outcome> finish() {
            RuntimeException sendError = null;
            List<Outcome> outcomes = new ArrayList<>();
            List<String> enqueued = new ArrayList<>();
            for (Pending p : pending) {
                List<ScanTaskSender.Failure> failures;
                try {
                    failures = p.sends().join();
                } catch (CompletionException e) {
                    if (sendError == null) {
                        sendError = e.getCause() instanceof RuntimeException re ? re : e;
                    }
                    continue;
                }
                int failedObjects = recordFailures(failures);
                outcomes.add(new Outcome(p.page(), p.queued(), p.tasks() - failures.size(), failedObjects));
                if (!p.page().enqueued()) {
                    enqueued.add(p.pageToken());
                }
            }
            pending.clear();
            if (sendError != null) {
                throw sendError;
            }
            store.markPagesEnqueued(job.jobId(), enqueued);
            return outcomes;
        }

        private int recordFailures(List<ScanTaskSender.Failure> failures) {
            if (failures.isEmpty()) {
                return 0;
            }
            List<ObjectResult> failed = new ArrayList<>();
            for (ScanTaskSender.Failure f : failures) {
                for (ObjectRef o : f.task().objects()) {
                    failed.add(ObjectResult.failed(o.key(), ObjectReason.ENQUEUE_FAILED, f.code() + ": " + f.reason()));
                }
            }
            store.recordResults(job.jobId(), failed);
            LOG.warn("job {}: {} objects could not be enqueued and are marked failed", job.jobId(), failed.size());
            return failed.size();
        }
    }

    private record Pending(String pageToken, PageRecord page, int queued, int tasks,
                           CompletableFuture<List<ScanTaskSender.Failure>> sends) {
    }
}
