package dev.s3scanner.lister;

import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.listing.ObjectFilter;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.PageRecord;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One step of the listing loop: lists up to {@code pagesPerStep} pages from the state's token,
 * applies the job's include/exclude filters ({@link ObjectFilter}: objects left out are recorded
 * skipped, reason {@code excluded}), records and enqueues each page, waits until every message of
 * the step is sent, and returns the advanced state. Three things overlap: the next page's
 * ListObjectsV2 call (with a prefetch executor), the database work (pages recorded in order,
 * {@link #PAGES_PER_TRANSACTION} per transaction), and the SendMessageBatch calls of the pages
 * already committed. The same code runs as the
 * Step Functions task in AWS and in the local runner's loop.
 */
public final class ListBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ListBatch.class);
    /** Pages recorded per transaction (one COPY, one commit) by a fresh step. */
    public static final int PAGES_PER_TRANSACTION = 5;

    private final JobStore store;
    private final ObjectListing listing;
    private final ListedPageRecorder recorder;
    private final int pagesPerStep;
    private final Executor prefetch;

    /**
     * A step that lists each page only after the previous one is recorded.
     *
     * @param store        job store
     * @param listing      ListObjectsV2 reader
     * @param recorder     record-and-enqueue path
     * @param pagesPerStep pages per step (each page is up to 1,000 objects)
     */
    public ListBatch(JobStore store, ObjectListing listing, ListedPageRecorder recorder, int pagesPerStep) {
        this(store, listing, recorder, pagesPerStep, Runnable::run);
    }

    /**
     * A step that lists the next page on {@code prefetch} while the current one is recorded, so
     * ListObjectsV2's latency overlaps the database work.
     *
     * @param store        job store
     * @param listing      ListObjectsV2 reader
     * @param recorder     record-and-enqueue path
     * @param pagesPerStep pages per step (each page is up to 1,000 objects)
     * @param prefetch     runs the look-ahead ListObjectsV2 calls (one at a time per step)
     */
    public ListBatch(JobStore store, ObjectListing listing, ListedPageRecorder recorder, int pagesPerStep,
                     Executor prefetch) {
        this.prefetch = Objects.requireNonNull(prefetch, "prefetch");
        this.store = Objects.requireNonNull(store, "store");
        this.listing = Objects.requireNonNull(listing, "listing");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        if (pagesPerStep < 1) {
            throw new IllegalArgumentException("pagesPerStep must be at least 1, was " + pagesPerStep);
        }
        this.pagesPerStep = pagesPerStep;
    }

    private CompletableFuture<ObjectListing.Page> list(Job job, String token) {
        return CompletableFuture.supplyAsync(() -> listing.listPage(job.bucket(), job.prefix(), token), prefetch);
    }

    private static ObjectListing.Page join(CompletableFuture<ObjectListing.Page> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Runs one step.
     *
     * @param in the state from the previous step
     * @return the next state; {@code done} when the listing is complete or the job was cancelled
     * @throws IllegalArgumentException when the job does not exist
     */
    public ListBatchState step(ListBatchState in) {
        // every log line of the step carries the job id (field job_id)
        try (MDC.MDCCloseable c = MDC.putCloseable(LogFields.JOB_ID, String.valueOf(in.jobId()))) {
            return stepWithinJob(in);
        }
    }

    private ListBatchState stepWithinJob(ListBatchState in) {
        Job job = store.findJob(in.jobId())
                .orElseThrow(() -> new IllegalArgumentException("no job " + in.jobId()));
        if (job.status() != JobStatus.LISTING) {
            LOG.info("job {} is {}: listing stops", job.jobId(), job.status().dbValue());
            return new ListBatchState(in.jobId(), in.token(), in.pages(), in.listed(), in.iteration() + 1, true);
        }
        ObjectFilter filter = ObjectFilter.fromOptions(job.optionsJson());
        long pages = 0;
        long listed = 0;
        String next = in.token();
        // a re-run step (its first page already recorded) goes page by page so that it can follow
        // the recorded token chain; a fresh step records PAGES_PER_TRANSACTION pages per commit
        boolean replay = store.findPage(job.jobId(), next == null ? "" : next).isPresent();
        ListedPageRecorder.Batch batch = recorder.batch(job, replay ? 1 : PAGES_PER_TRANSACTION);
        CompletableFuture<ObjectListing.Page> current = list(job, next);
        for (int n = 0; n < pagesPerStep; n++) {
            ObjectListing.Page page = join(current);
            boolean more = page.nextToken() != null && n + 1 < pagesPerStep;
            // look ahead: the next ListObjectsV2 call runs while this page is recorded
            CompletableFuture<ObjectListing.Page> ahead = more ? list(job, page.nextToken()) : null;
            String recordedNext = page.nextToken();
            List<ListedObject> objects = filter.isEmpty() ? page.objects()
                    : page.objects().stream().map(filter::apply).toList();
            if (replay) {
                PageRecord record = batch.record(next == null ? "" : next, page.nextToken(), objects);
                // a replayed page continues where its first recording did: S3 may hand out another
                // token for the same position, and following the recorded chain keeps a re-run's
                // pages (and its output) those of the first run
                recordedNext = record.recordedNow() ? page.nextToken() : record.nextToken();
            } else {
                batch.add(next == null ? "" : next, page.nextToken(), objects);
            }
            pages++;
            listed += page.objects().size();
            next = recordedNext;
            if (next == null || n + 1 >= pagesPerStep) {
                break;
            }
            if (ahead == null || !next.equals(page.nextToken())) {
                if (ahead != null) {
                    ahead.cancel(false);
                }
                ahead = list(job, next);
            }
            current = ahead;
        }
        batch.finish();
        boolean done = next == null;
        if (done) {
            JobStatus status = store.finishListing(job.jobId());
            LOG.info("job {} listed: {} objects in {} pages, status {}", job.jobId(), in.listed() + listed,
                    in.pages() + pages, status.dbValue());
        }
        return new ListBatchState(in.jobId(), next, in.pages() + pages, in.listed() + listed,
                in.iteration() + 1, done);
    }
}
