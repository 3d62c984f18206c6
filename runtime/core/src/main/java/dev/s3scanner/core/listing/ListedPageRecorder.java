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
import dev.s3scanner.core.store.PageInput;
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
 * <p>{@link #batch(Job, int)} overlaps the pages of one step: pages are recorded in order, a few
 * per transaction (one COPY and one commit for them), and each group's tasks are sent in the
 * background while the next group is listed and recorded; {@link Batch#finish()} waits for every
 * send before marking the pages enqueued. A page's messages are sent only after its rows are
 * committed (a worker that finds no row for an object drops it).
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
        Batch batch = batch(job, 1);
        batch.record(pageToken, nextToken, objects);
        return batch.finish().get(0);
    }

    /**
     * Starts recording several pages of one job whose sends overlap. Not thread-safe: one caller.
     *
     * @param job                 the job
     * @param pagesPerTransaction pages recorded together by {@link Batch#add} (at least 1)
     */
    public Batch batch(Job job, int pagesPerTransaction) {
        if (pagesPerTransaction < 1) {
            throw new IllegalArgumentException("pagesPerTransaction must be at least 1, was " + pagesPerTransaction);
        }
        return new Batch(Objects.requireNonNull(job, "job"), pagesPerTransaction);
    }

    /** Pages of one job being recorded and enqueued; see {@link ListedPageRecorder#batch(Job, int)}. */
    public final class Batch {
        private final Job job;
        private final int pagesPerTransaction;
        private final List<PageInput> buffered = new ArrayList<>();
        private final List<Pending> pending = new ArrayList<>();

        private Batch(Job job, int pagesPerTransaction) {
            this.job = job;
            this.pagesPerTransaction = pagesPerTransaction;
        }

        /**
         * Adds a page; once {@code pagesPerTransaction} pages are waiting they are recorded in one
         * transaction and their tasks start being sent.
         *
         * @param pageToken the token the page was read with ({@code ""} for the first)
         * @param nextToken the token after it, or {@code null}
         * @param objects   the page's objects, classified
         * @throws dev.s3scanner.core.store.StoreException when the database fails
         */
        public void add(String pageToken, String nextToken, List<ListedObject> objects) {
            buffered.add(new PageInput(pageToken, nextToken, objects));
            if (buffered.size() >= pagesPerTransaction) {
                flush();
            }
        }

        /**
         * Records one page now (with any pages added before it) and starts sending its tasks.
         *
         * @param pageToken the token the page was read with ({@code ""} for the first)
         * @param nextToken the token after it, or {@code null}
         * @param objects   the page's objects, classified
         * @return what recording the page found or did
         * @throws dev.s3scanner.core.store.StoreException when the database fails
         */
        public PageRecord record(String pageToken, String nextToken, List<ListedObject> objects) {
            buffered.add(new PageInput(pageToken, nextToken, objects));
            flush();
            return pending.get(pending.size() - 1).page();
        }

        private void flush() {
            if (buffered.isEmpty()) {
                return;
            }
            List<PageRecord> records = store.recordPages(job.jobId(), buffered);
            for (int i = 0; i < buffered.size(); i++) {
                PageInput input = buffered.get(i);
                PageRecord page = records.get(i);
                if (page.enqueued()) {
                    pending.add(new Pending(input.pageToken(), page, 0, 0, CompletableFuture.completedFuture(List.of())));
                    continue;
                }
                List<ObjectRef> refs = new ArrayList<>();
                for (ListedObject o : input.objects()) {
                    if (o.state() == ObjectState.QUEUED && !page.duplicateKeys().contains(o.key())) {
                        refs.add(new ObjectRef(o.key(), o.etag(), o.size(), o.versionId()));
                    }
                }
                List<ScanTask> tasks = ScanTaskCodec.pack(job.jobId(), job.bucket(), refs, maxBodyBytes, maxObjectsPerTask);
                pending.add(new Pending(input.pageToken(), page, refs.size(), tasks.size(),
                        sender.sendAsync(tasks, job.tenant())));
            }
            buffered.clear();
        }

        /**
         * Waits for every page's sends, records the objects whose task could not be sent as failed
         * ({@code enqueue_failed}) and marks the pages enqueued.
         *
         * @return one outcome per page, in the order recorded
         * @throws dev.s3scanner.core.store.StoreException when recording the last pages fails
         * @throws software.amazon.awssdk.core.exception.SdkException when a SendMessageBatch call
         *         failed as a whole: no page of this batch is marked enqueued, so a replay sends them again
         */
        public List<Outcome> finish() {
            flush();
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
