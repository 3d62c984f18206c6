package dev.s3scanner.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.listing.ListingClassifier;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.lister.ListBatchState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One step of an inventory job's listing loop, with the same state as the ListObjectsV2 step
 * ({@link ListBatchState}): reads up to {@code pagesPerStep} pages of {@code rowsPerPage} rows
 * from the job's S3 Inventory report, keeps the rows the job scans ({@link InventoryFilter}:
 * current versions under its prefix, no delete markers), records and enqueues them through the
 * same {@link ListedPageRecorder} as listing, and returns the advanced state.
 *
 * <p>The token is a position in the report, {@code "<file index>:<row offset>"} (opaque to the
 * state machine). Each page is recorded under {@code "inventory:<data file key>#<row offset>"},
 * so re-running a step records and sends nothing twice. A data file's MD5 and size are checked
 * against the manifest before its first row is used, and the manifest against its
 * {@code manifest.checksum} at every step.
 *
 * <p>A report that cannot be used (corrupt data file, manifest checksum mismatch, a format other
 * than CSV, a report for another bucket) fails the job with the reason, then throws
 * {@link InventoryException} so that the state machine's execution fails visibly too.
 *
 * <p>Known cost: a step that starts in the middle of a data file re-reads that file from its
 * start (gzip streams cannot seek), so choose pages per step so that a step covers whole files.
 */
public final class InventoryBatch {
    /** The job option ({@code jobs.options}) naming the report: {@code s3://bucket/…/manifest.json}. */
    public static final String MANIFEST_OPTION = "inventory_manifest";
    /** Pages recorded per transaction (one COPY, one commit). */
    public static final int PAGES_PER_TRANSACTION = 5;
    /** Rows per page: the ListObjectsV2 page size. */
    public static final int DEFAULT_ROWS_PER_PAGE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(InventoryBatch.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JobStore store;
    private final InventoryReports reports;
    private final ListedPageRecorder recorder;
    private final int pagesPerStep;
    private final int rowsPerPage;
    private final S3Location reportsRoot;

    /**
     * @param store        job store
     * @param reports      reads the report from S3
     * @param recorder     record-and-enqueue path
     * @param pagesPerStep pages per step, at least 1
     * @param rowsPerPage  data-file rows per page, at least 1
     */
    public InventoryBatch(JobStore store, InventoryReports reports, ListedPageRecorder recorder, int pagesPerStep,
                          int rowsPerPage) {
        this(store, reports, recorder, pagesPerStep, rowsPerPage, null);
    }

    /**
     * @param store        job store
     * @param reports      reads the report from S3
     * @param recorder     record-and-enqueue path
     * @param pagesPerStep pages per step, at least 1
     * @param rowsPerPage  data-file rows per page, at least 1
     * @param reportsRoot  the inventory configurations' destination ({@code s3://bucket/prefix}), under
     *                     which a job without the {@value #MANIFEST_OPTION} option reads its bucket's
     *                     latest complete report; {@code null} when there is none (such jobs fail)
     */
    public InventoryBatch(JobStore store, InventoryReports reports, ListedPageRecorder recorder, int pagesPerStep,
                          int rowsPerPage, S3Location reportsRoot) {
        this.reportsRoot = reportsRoot;
        this.store = Objects.requireNonNull(store, "store");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        if (pagesPerStep < 1 || rowsPerPage < 1) {
            throw new IllegalArgumentException("pagesPerStep and rowsPerPage must be at least 1, were " + pagesPerStep
                    + " and " + rowsPerPage);
        }
        this.pagesPerStep = pagesPerStep;
        this.rowsPerPage = rowsPerPage;
    }

    /** The options JSON of an inventory job reading {@code manifest}. */
    public static String options(S3Location manifest) {
        return JSON.createObjectNode().put(MANIFEST_OPTION, manifest.toString()).toString();
    }

    /**
     * Runs one step.
     *
     * @param in the state from the previous step
     * @return the next state; {@code done} when the report is read or the job is no longer listing
     * @throws IllegalArgumentException when the job does not exist, is not an inventory job, or the token is malformed
     * @throws InventoryException when the report cannot be used (the job has been failed with the reason)
     */
    public ListBatchState step(ListBatchState in) {
        // every log line of the step carries the job id (field job_id)
        try (MDC.MDCCloseable c = MDC.putCloseable(LogFields.JOB_ID, String.valueOf(in.jobId()))) {
            return stepWithinJob(in);
        }
    }

    private ListBatchState stepWithinJob(ListBatchState in) {
        Job job = store.findJob(in.jobId()).orElseThrow(() -> new IllegalArgumentException("no job " + in.jobId()));
        if (job.status() != JobStatus.LISTING) {
            LOG.info("job {} is {}: inventory reading stops", job.jobId(), job.status().dbValue());
            return new ListBatchState(in.jobId(), in.token(), in.pages(), in.listed(), in.iteration() + 1, true);
        }
        Position pos = Position.parse(in.token());
        long pages = 0;
        long listed = 0;
        try {
            InventoryManifest manifest = reports.loadManifest(manifestOf(job));
            check(job, manifest);
            InventoryColumns columns = InventoryColumns.of(manifest.fileSchema());
            InventoryFilter filter = InventoryFilter.currentVersions(job.prefix());
            ListedPageRecorder.Batch batch = recorder.batch(job, PAGES_PER_TRANSACTION);
            DataFileReader reader = null;
            try {
                while (pages < pagesPerStep && pos != null) {
                    if (pos.file() >= manifest.files().size()) {
                        pos = null;
                        break;
                    }
                    if (reader == null) {
                        reader = open(manifest, columns, pos);
                    }
                    long startRow = reader.rowNumber();
                    List<ListedObject> objects = new ArrayList<>();
                    for (int r = 0; r < rowsPerPage; r++) {
                        InventoryRow row = reader.next();
                        if (row == null) {
                            break;
                        }
                        if (filter.accepts(row)) {
                            objects.add(ListingClassifier.classify(row.key(), row.etag(), row.size(), row.versionId(),
                                    row.storageClass(), row.lastModified(), null, null));
                        }
                    }
                    Position next = reader.hasNext() ? new Position(pos.file(), reader.rowNumber())
                            : pos.file() + 1 < manifest.files().size() ? new Position(pos.file() + 1, 0) : null;
                    String pageToken = "inventory:" + manifest.files().get(pos.file()).key() + "#" + startRow;
                    batch.add(pageToken, next == null ? null : next.toString(), objects);
                    pages++;
                    listed += objects.size();
                    if (next == null || next.file() != pos.file()) {
                        reader.close();
                        reader = null;
                    }
                    pos = next;
                }
            } finally {
                if (reader != null) {
                    reader.close();
                }
            }
            batch.finish();
        } catch (InventoryException e) {
            store.failJob(job.jobId(), e.getMessage());
            LOG.warn("job {} failed: {}", job.jobId(), e.getMessage());
            throw e;
        }
        boolean done = pos == null;
        if (done) {
            JobStatus status = store.finishListing(job.jobId());
            LOG.info("job {} read from its inventory: {} objects in {} pages, status {}", job.jobId(), in.listed() + listed,
                    in.pages() + pages, status.dbValue());
        }
        return new ListBatchState(in.jobId(), done ? null : pos.toString(), in.pages() + pages, in.listed() + listed,
                in.iteration() + 1, done);
    }

    private DataFileReader open(InventoryManifest manifest, InventoryColumns columns, Position pos) {
        if (pos.row() == 0) {
            reports.verifyDataFile(manifest, pos.file());
        }
        DataFileReader reader = new DataFileReader(reports.openDataFile(manifest, pos.file()), columns,
                InventoryReports.dataFileLocation(manifest, pos.file()).toString());
        if (reader.skip(pos.row()) < pos.row()) {
            reader.close();
            throw new InventoryException("inventory data file " + InventoryReports.dataFileLocation(manifest, pos.file())
                    + " has fewer than " + pos.row() + " rows: it changed after the job started reading it");
        }
        return reader;
    }

    private static void check(Job job, InventoryManifest manifest) {
        if (!"CSV".equalsIgnoreCase(manifest.fileFormat())) {
            throw new InventoryException("inventory format " + manifest.fileFormat() + " is not supported (manifest "
                    + manifest.location() + "): this reader reads CSV reports; reading Parquet or ORC needs the"
                    + " Hadoop-based readers, which are not part of the scanner");
        }
        if (!manifest.sourceBucket().equals(job.bucket())) {
            throw new InventoryException("inventory manifest " + manifest.location() + " lists bucket "
                    + manifest.sourceBucket() + ", the job scans " + job.bucket());
        }
    }

    /**
     * The report a job reads: its {@value #MANIFEST_OPTION} option or, for a job created without
     * one (the API's), its bucket's latest complete report under the reports root, pinned into the
     * job's options at the first step so that every step reads the same report. S3 Inventory writes
     * reports to {@code <destination prefix>/<source bucket>/<configuration id>/<YYYY-MM-DDTHH-MMZ>/manifest.json}
     * (Amazon S3 User Guide, "Inventory list file location").
     */
    private S3Location manifestOf(Job job) {
        JsonNode options;
        try {
            options = JSON.readTree(job.optionsJson());
        } catch (IOException e) {
            throw new IllegalArgumentException("job " + job.jobId() + " has options that are not JSON", e);
        }
        JsonNode manifest = options.get(MANIFEST_OPTION);
        if (manifest != null && manifest.isTextual()) {
            return S3Location.parse(manifest.asText());
        }
        if (manifest != null) {
            throw new InventoryException("job option " + MANIFEST_OPTION + " must be a string s3://bucket/.../manifest.json");
        }
        if (reportsRoot == null) {
            throw new InventoryException("the job names no inventory report (option " + MANIFEST_OPTION
                    + ") and no inventory reports location is configured (SCANNER_INVENTORY_BUCKET)");
        }
        String root = reportsRoot.key().isEmpty() || reportsRoot.key().endsWith("/") ? reportsRoot.key() : reportsRoot.key() + "/";
        S3Location latest = reports.latestManifest(new S3Location(reportsRoot.bucket(), root + job.bucket() + "/"));
        String pinned = store.pinOption(job.jobId(), MANIFEST_OPTION, latest.toString());
        LOG.info("job {} reads the inventory report {}", job.jobId(), pinned);
        return S3Location.parse(pinned);
    }

    /** A position in a report: data file index and row offset within it. */
    record Position(int file, long row) {
        static Position parse(String token) {
            if (token == null) {
                return new Position(0, 0);
            }
            int colon = token.indexOf(':');
            try {
                Position p = new Position(Integer.parseInt(token.substring(0, colon)), Long.parseLong(token.substring(colon + 1)));
                if (p.file() < 0 || p.row() < 0) {
                    throw new NumberFormatException("negative");
                }
                return p;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an inventory position (file-index:row-offset): " + token, e);
            }
        }

        @Override
        public String toString() {
            return file + ":" + row;
        }
    }
}
