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
 * tasks again (workers ignore objects already terminal, so a partial resend is harmless).
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

    /** What one page did. */
    public record Outcome(PageRecord page, int queued, int tasksSent, int enqueueFailures) {
    }

    /**
     * Records and enqueues one page.
     *
     * @param job       the job (bucket and tenant are taken from it)
     * @param pageToken the token the page was read with ({@code ""} for the first)
     * @param nextToken the token after it, or {@code null}
     * @param objects   the page's objects, classified
     * @return what was done
     */
    public Outcome record(Job job, String pageToken, String nextToken, List<ListedObject> objects) {
        PageRecord page = store.recordPage(job.jobId(), pageToken, nextToken, objects);
        if (page.enqueued()) {
            return new Outcome(page, 0, 0, 0);
        }
        List<ObjectRef> refs = new ArrayList<>();
        for (ListedObject o : objects) {
            if (o.state() == ObjectState.QUEUED) {
                refs.add(new ObjectRef(o.key(), o.etag(), o.size(), o.versionId()));
            }
        }
        List<ScanTask> tasks = ScanTaskCodec.pack(job.jobId(), job.bucket(), refs, maxBodyBytes, maxObjectsPerTask);
        List<ScanTaskSender.Failure> failures = sender.send(tasks, job.tenant());
        int failedObjects = 0;
        if (!failures.isEmpty()) {
            List<ObjectResult> failed = new ArrayList<>();
            for (ScanTaskSender.Failure f : failures) {
                for (ObjectRef o : f.task().objects()) {
                    failed.add(ObjectResult.failed(o.key(), ObjectReason.ENQUEUE_FAILED, f.code() + ": " + f.reason()));
                }
            }
            failedObjects = failed.size();
            store.recordResults(job.jobId(), failed);
            LOG.warn("job {}: {} objects could not be enqueued and are marked failed", job.jobId(), failedObjects);
        }
        store.markPageEnqueued(job.jobId(), pageToken);
        return new Outcome(page, refs.size(), tasks.size() - failures.size(), failedObjects);
    }
}
