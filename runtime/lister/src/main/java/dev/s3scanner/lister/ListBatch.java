package dev.s3scanner.lister;

import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.PageRecord;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of the listing loop: lists up to {@code pagesPerStep} pages from the state's token,
 * records and enqueues each page (each page's database work before the next page is listed, its
 * messages sent in the background while the next pages are listed and recorded), waits until
 * every message of the step is sent, and returns the advanced state. The same code runs as the
 * Step Functions task in AWS and in the local runner's loop.
 */
public final class ListBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ListBatch.class);

    private final JobStore store;
    private final ObjectListing listing;
    private final ListedPageRecorder recorder;
    private final int pagesPerStep;

    /**
     * @param store        job store
     * @param listing      ListObjectsV2 reader
     * @param recorder     record-and-enqueue path
     * @param pagesPerStep pages per step (each page is up to 1,000 objects)
     */
    public ListBatch(JobStore store, ObjectListing listing, ListedPageRecorder recorder, int pagesPerStep) {
        this.store = Objects.requireNonNull(store, "store");
        this.listing = Objects.requireNonNull(listing, "listing");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        if (pagesPerStep < 1) {
            throw new IllegalArgumentException("pagesPerStep must be at least 1, was " + pagesPerStep);
        }
        this.pagesPerStep = pagesPerStep;
    }

    /**
     * Runs one step.
     *
     * @param in the state from the previous step
     * @return the next state; {@code done} when the listing is complete or the job was cancelled
     * @throws IllegalArgumentException when the job does not exist
     */
    public ListBatchState step(ListBatchState in) {
        Job job = store.findJob(in.jobId())
                .orElseThrow(() -> new IllegalArgumentException("no job " + in.jobId()));
        if (job.status() != JobStatus.LISTING) {
            LOG.info("job {} is {}: listing stops", job.jobId(), job.status().dbValue());
            return new ListBatchState(in.jobId(), in.token(), in.pages(), in.listed(), in.iteration() + 1, true);
        }
        long pages = 0;
        long listed = 0;
        ListedPageRecorder.Batch batch = recorder.batch(job);
        String next = in.token();
        for (int n = 0; n < pagesPerStep; n++) {
            ObjectListing.Page page = listing.listPage(job.bucket(), job.prefix(), next);
            PageRecord record = batch.record(next == null ? "" : next, page.nextToken(), page.objects());
            // a replayed page continues where its first recording did: S3 may hand out another
            // token for the same position, and following the recorded chain keeps a re-run's pages
            // (and its output) those of the first run
            next = record.recordedNow() ? page.nextToken() : record.nextToken();
            pages++;
            listed += page.objects().size();
            if (next == null) {
                break;
            }
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
