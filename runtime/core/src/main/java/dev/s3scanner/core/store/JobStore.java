package dev.s3scanner.core.store;

import dev.s3scanner.core.detect.Finding;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scanner's state in PostgreSQL: jobs, one row per listed object, findings and live progress
 * counters. Thread-safe; share one instance per data source.
 *
 * <p>Every state change is idempotent so that SQS redelivery and Step Functions retries are
 * harmless: a page is recorded once per (job, page token), an object leaves a non-terminal state
 * once, and findings are unique per (job, key, entry, detector, offset). Progress counters are
 * changed in the same transaction as the rows they count, spread over {@link #SLOTS} rows per
 * metric so that concurrent workers do not queue on one hot row.
 *
 * <p>Statements are short texts with array parameters (never SQL built from values; the one name
 * put into a statement is a job's partition, checked by PostgreSQL), so they stay far below RDS
 * Proxy's 16 KB pinning threshold however many rows they carry.
 */
public final class JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    /** Counter rows per job and metric. */
    public static final int SLOTS = 16;

    private final DataSource ds;

    /**
     * @param ds a pooled data source for a database migrated by {@code SchemaMigrator}
     */
    public JobStore(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    // ---------------------------------------------------------------- jobs

    /**
     * Creates a job in status {@code listing}. When {@code job.idempotencyKey()} is set and a job
     * with that key exists, returns the existing job instead.
     *
     * <p>In the partitioned layout the job's partitions of {@code job_objects} and {@code findings}
     * are created in the same transaction ({@code scanner_prepare_job}, a no-op in the unpartitioned
     * layout), so every later statement is the same in both layouts.
     *
     * @return the created (or existing) job
     */
    public Job createJob(NewJob job) {
        return Transactions.inTransaction(ds, "create job", c -> {
            boolean inserted;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO jobs (job_id, bucket, prefix, source, tenant, options, idempotency_key)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
                    ON CONFLICT (idempotency_key) DO NOTHING""")) {
                ps.setObject(1, job.jobId());
                ps.setString(2, job.bucket());
                ps.setString(3, job.prefix());
                ps.setString(4, job.source());
                ps.setString(5, job.tenant());
                ps.setString(6, job.optionsJson());
                ps.setString(7, job.idempotencyKey());
                inserted = ps.executeUpdate() == 1;
            }
            if (inserted) {
                try (PreparedStatement ps = c.prepareStatement("SELECT scanner_prepare_job(?)")) {
                    ps.setObject(1, job.jobId());
                    ps.executeQuery().close();
                }
            }
            String where = job.idempotencyKey() != null ? "idempotency_key = ?" : "job_id = ?";
            try (PreparedStatement ps = c.prepareStatement(JOB_COLUMNS + " WHERE " + where)) {
                if (job.idempotencyKey() != null) {
                    ps.setString(1, job.idempotencyKey());
                } else {
                    ps.setObject(1, job.jobId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return job(rs);
                }
            }
        });
    }

    private static final String JOB_COLUMNS = """
            SELECT job_id, bucket, prefix, source, tenant, options::text, status, status_reason, listing_done,
                   pages_listed, created_at, finished_at
            FROM jobs""";

    /** The job, or empty when no job has this id. */
    public Optional<Job> findJob(UUID jobId) {
        return Transactions.autoCommit(ds, "read job", c -> {
            try (PreparedStatement ps = c.prepareStatement(JOB_COLUMNS + " WHERE job_id = ?")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(job(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The most recently created jobs, newest first. */
    public List<Job> recentJobs(int limit) {
        return Transactions.autoCommit(ds, "list jobs", c -> {
            try (PreparedStatement ps = c.prepareStatement(JOB_COLUMNS + " ORDER BY created_at DESC LIMIT ?")) {
                ps.setInt(1, limit);
                List<Job> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(job(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), JobStatus.fromDb(rs.getString(7)), rs.getString(8), rs.getBoolean(9), rs.getLong(10),
                instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)));
    }

    /**
     * Sets a top-level string option of a job ({@code jobs.options}, JSON) unless the job already
     * has that option: the first caller pins the value, later callers read it back. Used to pin
     * what a job reads (e.g. which S3 Inventory report) at its first step.
     *
     * @param name  option name
     * @param value value to pin when the option is absent
     * @return the option's value after the call: {@code value}, or the one pinned before
     * @throws IllegalArgumentException when the job does not exist
     */
    public String pinOption(UUID jobId, String name, String value) {
        return Transactions.autoCommit(ds, "pin job option", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET options = options || jsonb_build_object(?::text, ?::text)
                    WHERE job_id = ? AND options -> ?::text IS NULL""")) {
                ps.setString(1, name);
                ps.setString(2, value);
                ps.setObject(3, jobId);
                ps.setString(4, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT options ->> ?::text FROM jobs WHERE job_id = ?")) {
                ps.setString(1, name);
                ps.setObject(2, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no job " + jobId);
                    }
                    return rs.getString(1);
                }
            }
        });
    }

    /**
     * Marks a job failed (from {@code listing} or {@code processing}); a final status is kept.
     *
     * @param reason why, shown to users
     * @return whether the status changed
     */
    public boolean failJob(UUID jobId, String reason) {
        return Transactions.autoCommit(ds, "fail job", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET status = 'failed', status_reason = ?, finished_at = now()
                    WHERE job_id = ? AND status IN ('listing', 'processing')""")) {
                ps.setString(1, reason);
                ps.setObject(2, jobId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Cancels a job: the lister stops and workers skip its remaining objects (reason
     * {@code cancelled}).
     *
     * @return whether the status changed (false when the job is already final or unknown)
     */
    public boolean cancelJob(UUID jobId) {
        return Transactions.autoCommit(ds, "cancel job", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET status = 'cancelled', status_reason = 'cancelled by request', finished_at = now()
                    WHERE job_id = ? AND status IN ('listing', 'processing')""")) {
                ps.setObject(1, jobId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---------------------------------------------------------------- listing

    /**
     * Records one listed page: its objects go into {@code job_objects} and the progress counters
     * move, in one transaction. A replay of a page already recorded for this job (same
     * {@code pageToken}) changes nothing and reports what the first call recorded. See
     * {@link #recordPages} for how rows stay idempotent by job and key.
     *
     * @param pageToken the continuation token the page was listed with, {@code ""} for the first page
     *                  (any string that identifies the page within the job, e.g. an inventory file part)
     * @param nextToken the token for the next page, or {@code null} when this is the last
     * @param objects   the page's objects (at most a few thousand)
     * @throws StoreException when the database fails
     */
    public PageRecord recordPage(UUID jobId, String pageToken, String nextToken, List<ListedObject> objects) {
        return recordPages(jobId, List.of(new PageInput(pageToken, nextToken, objects))).get(0);
    }

    /**
     * Records several listed pages of one job in one transaction (one COPY, one commit): each
     * page's objects go into {@code job_objects} and the progress counters move. A page already
     * recorded for this job (same {@code pageToken}) changes nothing and is reported as the first
     * call recorded it.
     *
     * <p>Rows are written with COPY. Should the job already have a row for one of the keys (a
     * listing resumed from another token after the bucket changed, overlapping inventory parts),
     * the COPY fails on the {@code (job_id, key)} primary key; the pages are then written again
     * with {@code INSERT … ON CONFLICT DO NOTHING}, only new keys are counted, and the others are
     * reported in {@link PageRecord#duplicateKeys()} so they are not enqueued twice. Rows are
     * idempotent by job and key whichever path wrote them.
     *
     * @param pages the pages, in listing order, with distinct tokens
     * @return one record per page, in the same order
     * @throws IllegalArgumentException when two pages have the same token
     * @throws StoreException when the database fails
     */
    public List<PageRecord> recordPages(UUID jobId, List<PageInput> pages) {
        if (pages.isEmpty()) {
            return List.of();
        }
        if (pages.stream().map(PageInput::pageToken).distinct().count() != pages.size()) {
            throw new IllegalArgumentException("pages recorded together need distinct tokens");
        }
        try {
            return recordPages(jobId, pages, true);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw e;
            }
            return recordPages(jobId, pages, false);
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    private RecordedResults recordInTransaction(UUID jobId, List<ObjectResult> sorted, boolean copyFindings) {
        String objectRowsTable = objectRowsTable(jobId);
        return Transactions.inTransaction(ds, "record object results", c -> {
            Map<String, ObjectResult> byKey = new HashMap<>();
            for (ObjectResult r : sorted) {
                byKey.put(r.key(), r);
            }
            Map<String, Long> deltas = new TreeMap<>();
            List<ObjectResult> updated = updateStates(c, jobId, objectRowsTable, sorted, byKey, deltas);
            int inserted = copyFindings ? copyFindings(c, jobId, updated, deltas) : insertFindings(c, jobId, updated, deltas);
            addCounters(c, jobId, deltas);
            return new RecordedResults(updated.size(), inserted);
        });
    }

    private List<PageRecord> recordPages(UUID jobId, List<PageInput> pages, boolean copy) {
        return Transactions.inTransaction(ds, "record listed pages", c -> {
            Set<String> newTokens = insertLedgerRows(c, jobId, pages);
            List<PageRecord> records = new ArrayList<>(pages.size());
            List<ListedObject> counted = new ArrayList<>();
            List<ListedObject> toCopy = new ArrayList<>();
            String lastNext = null;
            int newPages = 0;
            for (PageInput page : pages) {
                if (!newTokens.contains(page.pageToken())) {
                    records.add(existingPage(c, jobId, page.pageToken()));
                    continue;
                }
                newPages++;
                lastNext = page.nextToken();
                if (copy) {
                    toCopy.addAll(page.objects());
                    counted.addAll(page.objects());
                    records.add(new PageRecord(true, false, page.nextToken()));
                } else {
                    Set<String> inserted = insertObjectsIfAbsent(c, jobId, page.objects());
                    Set<String> duplicates = new HashSet<>();
                    for (ListedObject o : page.objects()) {
                        if (inserted.remove(o.key())) {
                            counted.add(o);
                        } else {
                            duplicates.add(o.key());
                        }
                    }
                    records.add(new PageRecord(true, false, page.nextToken(), duplicates));
                }
            }
            if (newPages == 0) {
                return records;
            }
            copyObjects(c, jobId, toCopy);
            Map<String, Long> deltas = new TreeMap<>();
            for (ListedObject o : counted) {
                deltas.merge("listed", 1L, Long::sum);
                deltas.merge(o.state().dbValue(), 1L, Long::sum);
                if (o.reason() != null) {
                    deltas.merge(o.state().dbValue() + ":" + o.reason(), 1L, Long::sum);
                }
            }
            addCounters(c, jobId, deltas);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET pages_listed = pages_listed + ?, list_token = ? WHERE job_id = ?")) {
                ps.setInt(1, newPages);
                ps.setString(2, lastNext);
                ps.setObject(3, jobId);
                ps.executeUpdate();
            }
            return records;
        });
    }

    /** Inserts the pages' ledger rows; returns the tokens of the pages not recorded before. */
    private static Set<String> insertLedgerRows(Connection c, UUID jobId, List<PageInput> pages) throws SQLException {
        String[] tokens = new String[pages.size()];
        String[] nextTokens = new String[pages.size()];
        Integer[] counts = new Integer[pages.size()];
        for (int i = 0; i < pages.size(); i++) {
            tokens[i] = pages.get(i).pageToken();
            nextTokens[i] = pages.get(i).nextToken();
            counts[i] = pages.get(i).objects().size();
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_list_pages (job_id, page_token, next_token, object_count)
                SELECT ?, * FROM unnest(?::text[], ?::text[], ?::integer[])
                ON CONFLICT (job_id, page_token) DO NOTHING
                RETURNING page_token""")) {
            ps.setObject(1, jobId);
            ps.setArray(2, c.createArrayOf("text", tokens));
            ps.setArray(3, c.createArrayOf("text", nextTokens));
            ps.setArray(4, c.createArrayOf("integer", counts));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    /**
     * Whether a page has been recorded for this job, and how: empty when it has not.
     *
     * @param pageToken the page's token as given to {@link #recordPage}
     */
    public Optional<PageRecord> findPage(UUID jobId, String pageToken) {
        return Transactions.autoCommit(ds, "read page", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT enqueued, next_token FROM job_list_pages WHERE job_id = ? AND page_token = ?")) {
                ps.setObject(1, jobId);
                ps.setString(2, pageToken);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new PageRecord(false, rs.getBoolean(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /** Inserts the rows whose key the job does not have yet; returns the keys inserted. */
    private static Set<String> insertObjectsIfAbsent(Connection c, UUID jobId, List<ListedObject> objects)
            throws SQLException {
        int n = objects.size();
        String[] keys = new String[n];
        String[] etags = new String[n];
        Long[] sizes = new Long[n];
        String[] versions = new String[n];
        String[] classes = new String[n];
        Timestamp[] modified = new Timestamp[n];
        String[] states = new String[n];
        String[] reasons = new String[n];
        String[] details = new String[n];
        Timestamp[] updated = new Timestamp[n];
        Timestamp now = Timestamp.from(Instant.now());
        for (int i = 0; i < n; i++) {
            ListedObject o = objects.get(i);
            keys[i] = o.key();
            etags[i] = o.etag();
            sizes[i] = o.size();
            versions[i] = o.versionId();
            classes[i] = o.storageClass();
            modified[i] = o.lastModified() == null ? null : Timestamp.from(o.lastModified());
            states[i] = o.state().dbValue();
            reasons[i] = o.reason();
            details[i] = o.detail();
            updated[i] = o.state().isTerminal() ? now : null;
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_objects (job_id, key, etag, size, version_id, storage_class, last_modified, state,
                                         reason, detail, updated_at)
                SELECT ?, * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[],
                                        ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                ON CONFLICT (job_id, key) DO NOTHING
                RETURNING key""")) {
            ps.setObject(1, jobId);
            ps.setArray(2, c.createArrayOf("text", keys));
            ps.setArray(3, c.createArrayOf("text", etags));
            ps.setArray(4, c.createArrayOf("bigint", sizes));
            ps.setArray(5, c.createArrayOf("text", versions));
            ps.setArray(6, c.createArrayOf("text", classes));
            ps.setArray(7, c.createArrayOf("timestamptz", modified));
            ps.setArray(8, c.createArrayOf("text", states));
            ps.setArray(9, c.createArrayOf("text", reasons));
            ps.setArray(10, c.createArrayOf("text", details));
            ps.setArray(11, c.createArrayOf("timestamptz", updated));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    private static PageRecord existingPage(Connection c, UUID jobId, String pageToken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT enqueued, next_token FROM job_list_pages WHERE job_id = ? AND page_token = ?")) {
            ps.setObject(1, jobId);
            ps.setString(2, pageToken);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new PageRecord(false, rs.getBoolean(1), rs.getString(2));
            }
        }
    }

    /**
     * Marks recorded pages' scan tasks as all sent, so a replay sends nothing.
     *
     * @param pageTokens the pages' tokens as given to {@link #recordPage}
     */
    public void markPagesEnqueued(UUID jobId, Collection<String> pageTokens) {
        if (pageTokens.isEmpty()) {
            return;
        }
        Transactions.autoCommit(ds, "mark pages enqueued", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job_list_pages SET enqueued = true WHERE job_id = ? AND page_token = ANY (?)")) {
                ps.setObject(1, jobId);
                ps.setArray(2, c.createArrayOf("text", pageTokens.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    /** Marks a recorded page's scan tasks as all sent, so a replay sends nothing. */
    public void markPageEnqueued(UUID jobId, String pageToken) {
        Transactions.autoCommit(ds, "mark page enqueued", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE job_list_pages SET enqueued = true WHERE job_id = ? AND page_token = ?")) {
                ps.setObject(1, jobId);
                ps.setString(2, pageToken);
                return ps.executeUpdate();
            }
        });
    }

    private static void copyObjects(Connection c, UUID jobId, List<ListedObject> objects) throws SQLException {
        if (objects.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(objects.size() * 160);
        String job = jobId.toString();
        for (ListedObject o : objects) {
            sb.append(job).append('\t');
            copyField(sb, o.key()).append('\t');
            copyField(sb, o.etag()).append('\t');
            sb.append(o.size()).append('\t');
            copyField(sb, o.versionId()).append('\t');
            copyField(sb, o.storageClass()).append('\t');
            copyField(sb, o.lastModified() == null ? null : o.lastModified().toString()).append('\t');
            sb.append(o.state().dbValue()).append('\t');
            copyField(sb, o.reason()).append('\t');
            copyField(sb, o.detail()).append('\t');
            copyField(sb, o.state().isTerminal() ? Instant.now().toString() : null).append('\n');
        }
        copyIn(c, "job_objects", """
                COPY job_objects (job_id, key, etag, size, version_id, storage_class, last_modified, state, reason,
                                  detail, updated_at) FROM STDIN""", sb);
    }

    /** Sends rows in COPY's text format ({@link #copyField} escapes each field) to a COPY ... FROM STDIN. */
    private static void copyIn(Connection c, String table, String copySql, StringBuilder rows) throws SQLException {
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
        }
    }

    /** Appends a value in COPY's text format: backslash escapes, {@code \N} for null. */
    static StringBuilder copyField(StringBuilder sb, String v) {
        if (v == null) {
            return sb.append("\\N");
        }
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
        return sb;
    }

    /**
     * Marks listing finished: status {@code listing → processing}, then {@code completed} at once
     * if every object is already terminal (including jobs with zero objects).
     *
     * @return the job's status afterwards
     */
    public JobStatus finishListing(UUID jobId) {
        Transactions.autoCommit(ds, "finish listing", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET listing_done = true, listed_at = coalesce(listed_at, now()),
                           status = CASE WHEN status = 'listing' THEN 'processing' ELSE status END
                    WHERE job_id = ?""")) {
                ps.setObject(1, jobId);
                return ps.executeUpdate();
            }
        });
        completeIfDone(jobId);
        return findJob(jobId).map(Job::status).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
    }

    // ---------------------------------------------------------------- scanning

    /**
     * The open rows (state queued or processing) of one job among the keys of a text array: key and
     * detail. Parameters: the keys, then the job id.
     *
     * <p>Each key is looked up on its own through the primary key (a {@code LATERAL} subquery with
     * {@code LIMIT 1} is never flattened into a join), so the plan does not depend on statistics. A
     * plain {@code WHERE job_id = ? AND key = ANY (?)} did: for a job whose rows are newer than the
     * table's last {@code ANALYZE} (every new job until autovacuum analyzes it, and always a new
     * partition) the planner estimates about one row per job id, scans all of the job's rows by
     * {@code job_id} alone and filters the keys, so each message read the whole job: quadratic in
     * the job's size (32 ms per message of 100 at 50,000 objects, against 1.5 ms this way).
     */
    static final String OPEN_ROWS = """
            SELECT k.key, o.detail FROM unnest(?::text[]) AS k(key)
            CROSS JOIN LATERAL (SELECT o.detail FROM job_objects o
                                WHERE o.job_id = ? AND o.key = k.key AND o.state IN ('queued', 'processing')
                                LIMIT 1) o""";

    /**
     * Of {@code keys}, those still waiting to be scanned in this job (state queued or processing).
     * A redelivered message for objects already terminal is acknowledged without rescanning.
     */
    public Set<String> openObjects(UUID jobId, Collection<String> keys) {
        return Transactions.autoCommit(ds, "read open objects", c -> {
            try (PreparedStatement ps = c.prepareStatement(OPEN_ROWS)) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                ps.setObject(2, jobId);
                Set<String> out = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** What {@link #recordResults} changed. */
    public record RecordedResults(int objectsUpdated, int findingsInserted) {
    }

    /**
     * Records the terminal outcome of objects of one job in one transaction: each object still
     * open moves to its terminal state, its findings are inserted, and the counters move. Objects
     * already terminal (another delivery got there first) are left alone and their findings are
     * not inserted. Afterwards the job is completed if nothing is left open.
     */
    public RecordedResults recordResults(UUID jobId, List<ObjectResult> results) {
        if (results.isEmpty()) {
            return new RecordedResults(0, 0);
        }
        List<ObjectResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.key().compareTo(b.key()));
        RecordedResults recorded;
        try {
            recorded = recordInTransaction(jobId, sorted, true);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw e;
            }
            // a finding of an object that was open is already stored: cannot happen through this
            // class (see copyFindings), but if it does, the statement that skips duplicates records the rest
            LOG.warn("job {}: findings already stored for objects that were still open; recording with duplicates skipped",
                    jobId);
            recorded = recordInTransaction(jobId, sorted, false);
        }
        if (recorded.objectsUpdated() > 0) {
            completeIfDone(jobId);
        }
        return recorded;
    }

    /**
     * The statement that moves objects of one job to terminal states, for the table that holds the
     * job's rows ({@link #objectRowsTable}). Parameters: text arrays of keys, states, reasons and
     * details, a bigint array of finding counts, then the job id. Returns the key and the state
     * before of each row changed.
     *
     * <p>Rows are found and locked through the primary key ({@code LATERAL ... LIMIT 1 FOR UPDATE},
     * see {@link #OPEN_ROWS}), then updated by the tuple ids locked, in the job's own table, with no
     * condition on {@code job_id} alone: PostgreSQL's only choices there are those tuple ids or a
     * sequential scan of that table. With {@code job_id = ?} on the updated table, a planner that
     * believes the job has one row reads the whole job by {@code job_id} again; with the job id only
     * as a join condition on the partitioned parent, it cannot prune at plan time and hash-joins a
     * sequential scan of every job's partition (250,000 rows read for 100 with 41 jobs). The
     * {@code job_id} and {@code key} conditions of the join keep a stale tuple id from touching another row.
     *
     * @param objectRowsTable {@code job_objects}, or the job's partition of it (a name of PostgreSQL's
     *                        own making, never user input)
     */
    static String updateStatesSql(String objectRowsTable) {
        return """
                WITH old AS (
                    SELECT v.key, v.state, v.reason, v.detail, v.finding_count,
                           l.job_id, l.ctid AS row_id, l.state AS old_state
                    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                         AS v(key, state, reason, detail, finding_count)
                    CROSS JOIN LATERAL (SELECT o.job_id, o.ctid, o.state FROM job_objects o
                                        WHERE o.job_id = ? AND o.key = v.key AND o.state IN ('queued', 'processing')
                                        LIMIT 1 FOR UPDATE) l)
                UPDATE %s o
                SET state = old.state, reason = old.reason, detail = old.detail,
                    finding_count = least(old.finding_count, 2147483647)::integer, updated_at = now()
                FROM old
                WHERE o.ctid = old.row_id AND o.job_id = old.job_id AND o.key = old.key
                RETURNING o.key, old.old_state""".formatted(objectRowsTable);
    }

    private static final int TABLE_CACHE_JOBS = 10_000;
    private final Map<UUID, String> objectRowsTables = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The table that holds a job's rows of {@code job_objects}: its partition
     * ({@code job_objects_<job id without dashes>}, made by {@code scanner_prepare_job}) in the
     * partitioned layout, else {@code job_objects}. Remembered per job: a job's partition is made
     * with the job, and the layout changes only with the pipeline stopped (DEVELOPERS.md).
     */
    String objectRowsTable(UUID jobId) {
        String known = objectRowsTables.get(jobId);
        if (known != null) {
            return known;
        }
        String partition = "job_objects_" + jobId.toString().replace("-", "");
        String table = Transactions.autoCommit(ds, "find the job's object table", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, partition);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1) ? partition : "job_objects";
                }
            }
        });
        if (objectRowsTables.size() >= TABLE_CACHE_JOBS) {
            objectRowsTables.clear();
        }
        objectRowsTables.put(jobId, table);
        return table;
    }

    /**
     * Moves the open objects among {@code sorted} to their terminal states. Each row is found through
     * the primary key and locked ({@code FOR UPDATE} in a {@code LATERAL} subquery, see
     * {@link #OPEN_ROWS} for why), in the order of {@code sorted}, so two transactions over the same
     * keys lock them in the same order; then updated by its tuple id. A row changed by another
     * transaction meanwhile is re-read under the lock and left alone if no longer open.
     */
    private static List<ObjectResult> updateStates(Connection c, UUID jobId, String objectRowsTable,
                                                   List<ObjectResult> sorted, Map<String, ObjectResult> byKey,
                                                   Map<String, Long> deltas)
            throws SQLException {
        int n = sorted.size();
        String[] keys = new String[n];
        String[] states = new String[n];
        String[] reasons = new String[n];
        String[] details = new String[n];
        Long[] counts = new Long[n];
        for (int i = 0; i < n; i++) {
            ObjectResult r = sorted.get(i);
            keys[i] = r.key();
            states[i] = r.state().dbValue();
            reasons[i] = r.reason();
            details[i] = r.detail();
            counts[i] = r.findingCount();
        }
        List<ObjectResult> updated = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(updateStatesSql(objectRowsTable))) {
            ps.setArray(1, c.createArrayOf("text", keys));
            ps.setArray(2, c.createArrayOf("text", states));
            ps.setArray(3, c.createArrayOf("text", reasons));
            ps.setArray(4, c.createArrayOf("text", details));
            ps.setArray(5, c.createArrayOf("bigint", counts));
            ps.setObject(6, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectResult r = byKey.get(rs.getString(1));
                    updated.add(r);
                    deltas.merge(rs.getString(2), -1L, Long::sum);
                    deltas.merge(r.state().dbValue(), 1L, Long::sum);
                    if (r.reason() != null) {
                        deltas.merge(r.state().dbValue() + ":" + r.reason(), 1L, Long::sum);
                    }
                    if (r.bytesScanned() > 0) {
                        deltas.merge("bytes_scanned", r.bytesScanned(), Long::sum);
                    }
                }
            }
        }
        return updated;
    }

    /**
     * Stores the findings of the objects this transaction just moved from open to terminal, with
     * {@code COPY} (about 20% less database CPU per object than a multi-row {@code INSERT}, see
     * BENCHMARKS.md, "Worker"). No finding of these objects can be stored already: findings are
     * written only here, in the transaction that moves their object out of an open state under a
     * row lock, and no object ever moves back. Duplicates within one object (same entry, detector
     * and offset) are dropped first. Should the unique key still be violated, the caller records
     * again with {@link #insertFindings}, which skips duplicates.
     */
    private static int copyFindings(Connection c, UUID jobId, List<ObjectResult> updated, Map<String, Long> deltas)
            throws SQLException {
        StringBuilder sb = new StringBuilder();
        String job = jobId.toString();
        int rows = 0;
        for (ObjectResult r : updated) {
            Set<FindingKey> seen = r.findings().size() > 1 ? new HashSet<>() : null;
            for (Finding f : r.findings()) {
                if (seen != null && !seen.add(new FindingKey(f.entryPath(), f.detector(), f.byteOffset()))) {
                    continue;
                }
                sb.append(job).append('\t');
                copyField(sb, r.key()).append('\t');
                copyField(sb, f.entryPath()).append('\t');
                copyField(sb, f.detector()).append('\t').append(f.byteOffset()).append('\t');
                copyField(sb, f.maskedValue()).append('\t');
                copyField(sb, f.context()).append('\n');
                deltas.merge("findings", 1L, Long::sum);
                deltas.merge("findings:" + f.detector(), 1L, Long::sum);
                rows++;
            }
        }
        if (rows == 0) {
            return 0;
        }
        copyIn(c, "findings", """
                COPY findings (job_id, key, entry_path, detector, byte_offset, masked_value, context)
                FROM STDIN""", sb);
        return rows;
    }

    /** What makes a finding unique within one object. */
    private record FindingKey(String entryPath, String detector, long byteOffset) {
    }

    private static int insertFindings(Connection c, UUID jobId, List<ObjectResult> updated, Map<String, Long> deltas)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        List<String> detectors = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<String> masked = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        for (ObjectResult r : updated) {
            for (Finding f : r.findings()) {
                keys.add(r.key());
                entries.add(f.entryPath());
                detectors.add(f.detector());
                offsets.add(f.byteOffset());
                masked.add(f.maskedValue());
                contexts.add(f.context());
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        int inserted = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO findings (job_id, key, entry_path, detector, byte_offset, masked_value, context)
                SELECT ?, * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                ON CONFLICT DO NOTHING
                RETURNING detector""")) {
            ps.setObject(1, jobId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.setArray(3, c.createArrayOf("text", entries.toArray()));
            ps.setArray(4, c.createArrayOf("text", detectors.toArray()));
            ps.setArray(5, c.createArrayOf("bigint", offsets.toArray()));
            ps.setArray(6, c.createArrayOf("text", masked.toArray()));
            ps.setArray(7, c.createArrayOf("text", contexts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted++;
                    deltas.merge("findings", 1L, Long::sum);
                    deltas.merge("findings:" + rs.getString(1), 1L, Long::sum);
                }
            }
        }
        return inserted;
    }

    private static void addCounters(Connection c, UUID jobId, Map<String, Long> deltas) throws SQLException {
        deltas.values().removeIf(v -> v == 0);
        if (deltas.isEmpty()) {
            return;
        }
        int slot = ThreadLocalRandom.current().nextInt(SLOTS);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_counters (job_id, metric, slot, value)
                SELECT ?, m, ?, v FROM unnest(?::text[], ?::bigint[]) AS t(m, v)
                ON CONFLICT (job_id, metric, slot) DO UPDATE SET value = job_counters.value + EXCLUDED.value""")) {
            ps.setObject(1, jobId);
            ps.setInt(2, slot);
            // TreeMap order: every transaction locks counter rows in the same order (no deadlocks)
            ps.setArray(3, c.createArrayOf("text", deltas.keySet().toArray()));
            ps.setArray(4, c.createArrayOf("bigint", deltas.values().toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Remembers why an object could not be scanned this time, leaving it open for a retry. If its
     * message later goes to the dead-letter queue, this is the "last error" it is failed with.
     *
     * @param detail the error, without raw values (an S3 error code, an exception message)
     */
    public void recordAttemptError(UUID jobId, String key, String detail) {
        Transactions.autoCommit(ds, "record attempt error", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE job_objects SET detail = ?, updated_at = now()
                    WHERE job_id = ? AND key = ? AND state IN ('queued', 'processing')""")) {
                ps.setString(1, detail);
                ps.setObject(2, jobId);
                ps.setString(3, key);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Fails the objects of a dead-lettered scan task that are still open, with reason
     * {@code dead_lettered} and the last recorded error, so the job can still complete.
     *
     * @param receiveCount how many times the message was received, for the detail
     * @return the number of objects failed
     */
    public int failDeadLettered(UUID jobId, Collection<String> keys, int receiveCount) {
        Map<String, String> lastErrors = new HashMap<>();
        Transactions.autoCommit(ds, "read last errors", c -> {
            try (PreparedStatement ps = c.prepareStatement(OPEN_ROWS)) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                ps.setObject(2, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastErrors.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return null;
        });
        List<ObjectResult> failed = new ArrayList<>();
        lastErrors.forEach((key, last) -> failed.add(ObjectResult.failed(key, ObjectReason.DEAD_LETTERED,
                "scan task dead-lettered after " + receiveCount + " receives; last error: "
                        + (last == null ? "none recorded (the worker may have crashed on it)" : last))));
        return recordResults(jobId, failed).objectsUpdated();
    }

    /**
     * Completes the job when listing is done and no object is queued or processing. Safe to call
     * from every worker after each commit: the last one to commit sees zero and completes it.
     *
     * @return whether this call completed the job
     */
    public boolean completeIfDone(UUID jobId) {
        return Transactions.autoCommit(ds, "complete job", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET status = 'completed', finished_at = now()
                    WHERE job_id = ? AND status = 'processing' AND listing_done
                      AND coalesce((SELECT sum(value) FROM job_counters
                                    WHERE job_id = ? AND metric IN ('queued', 'processing')), 0) = 0""")) {
                ps.setObject(1, jobId);
                ps.setObject(2, jobId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---------------------------------------------------------------- reading

    /**
     * Live progress from the counter rows: exact as of this read, and O(1) in the number of
     * objects (it reads at most {@link #SLOTS} rows per metric).
     *
     * @return the progress, or empty for an unknown job
     */
    public Optional<JobProgress> liveProgress(UUID jobId) {
        return Transactions.autoCommit(ds, "read progress", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT j.status, j.status_reason, j.listing_done, c.metric, sum(c.value), now()
                    FROM jobs j LEFT JOIN job_counters c ON c.job_id = j.job_id
                    WHERE j.job_id = ?
                    GROUP BY j.status, j.status_reason, j.listing_done, c.metric""")) {
                ps.setObject(1, jobId);
                Map<String, Long> counters = new HashMap<>();
                JobStatus status = null;
                String reason = null;
                boolean listingDone = false;
                Instant asOf = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        status = JobStatus.fromDb(rs.getString(1));
                        reason = rs.getString(2);
                        listingDone = rs.getBoolean(3);
                        if (rs.getString(4) != null) {
                            counters.put(rs.getString(4), rs.getLong(5));
                        }
                        asOf = instant(rs.getTimestamp(6));
                    }
                }
                return status == null ? Optional.empty()
                        : Optional.of(new JobProgress(jobId, status, reason, listingDone, counters, asOf));
            }
        });
    }

    /** Objects of a job in one state, in key order, at most {@code limit}. */
    public List<ObjectRow> objects(UUID jobId, ObjectState state, int limit) {
        return Transactions.autoCommit(ds, "read objects", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT key, size, state, reason, detail, finding_count FROM job_objects
                    WHERE job_id = ? AND (?::text IS NULL OR state = ?::text) ORDER BY key LIMIT ?""")) {
                ps.setObject(1, jobId);
                String s = state == null ? null : state.dbValue();
                ps.setString(2, s);
                ps.setString(3, s);
                ps.setInt(4, limit);
                List<ObjectRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ObjectRow(rs.getString(1), rs.getLong(2), ObjectState.fromDb(rs.getString(3)),
                                rs.getString(4), rs.getString(5), rs.getInt(6)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * A row of {@code job_objects}.
     *
     * @param key          key
     * @param size         size in bytes
     * @param state        state
     * @param reason       reason, or {@code null}
     * @param detail       detail, or {@code null}
     * @param findingCount findings seen in it
     */
    public record ObjectRow(String key, long size, ObjectState state, String reason, String detail, int findingCount) {
    }

    /**
     * A page of a job's findings in {@code finding_id} order, after {@code afterFindingId}
     * (keyset pagination: no OFFSET).
     *
     * @param afterFindingId 0 for the first page, else the last id of the previous page
     * @param key            only this object key, or {@code null}
     * @param detector       only this detector, or {@code null}
     * @param limit          page size
     */
    public List<StoredFinding> findings(UUID jobId, long afterFindingId, String key, String detector, int limit) {
        return findingsPage(Objects.requireNonNull(jobId, "jobId"), null, afterFindingId, key, detector, limit);
    }

    /**
     * The job's row of the {@code job_progress} materialized view: every numeric column as a
     * counter named after the column, and {@code refreshed_at}. Empty when the job is not in the
     * view yet (created after the last refresh) or the view has never been populated (SQLSTATE
     * 55000), so that the caller reads live figures instead of reporting "0 of 0".
     */
    public Optional<CachedProgress> cachedProgress(UUID jobId) {
        return Transactions.autoCommit(ds, "read cached progress", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM job_progress WHERE job_id = ?")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    java.sql.ResultSetMetaData md = rs.getMetaData();
                    Map<String, Long> counters = new HashMap<>();
                    Instant refreshedAt = null;
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String column = md.getColumnLabel(i);
                        int type = md.getColumnType(i);
                        if (column.equals("refreshed_at")) {
                            refreshedAt = instant(rs.getTimestamp(i));
                        } else if (type == java.sql.Types.BIGINT || type == java.sql.Types.INTEGER
                                || type == java.sql.Types.NUMERIC || type == java.sql.Types.SMALLINT) {
                            counters.put(column, rs.getLong(i));
                        }
                    }
                    return Optional.of(new CachedProgress(jobId, counters, refreshedAt));
                }
            } catch (SQLException e) {
                if ("55000".equals(e.getSQLState())) {
                    return Optional.empty(); // "materialized view has not been populated"
                }
                throw e;
            }
        });
    }

    /**
     * A page of findings in {@code finding_id} order after {@code afterFindingId} (keyset
     * pagination: no OFFSET), either of one job or of every job of a bucket. For a bucket, each of
     * its jobs contributes at most {@code limit} rows through the {@code (job_id, finding_id)} index
     * before the merge, so the cost is O(jobs of the bucket × limit), not O(findings).
     *
     * @param jobId          only this job, or {@code null} for every job of {@code bucket}
     * @param bucket         only jobs of this bucket, or {@code null} (then {@code jobId} is required)
     * @param afterFindingId 0 for the first page, else the last id of the previous page
     * @param key            only this object key (exact), or {@code null}
     * @param detector       only this detector, or {@code null}
     * @param limit          page size, at least 1
     * @throws IllegalArgumentException when both {@code jobId} and {@code bucket} are {@code null}
     */
    public List<StoredFinding> findingsPage(UUID jobId, String bucket, long afterFindingId, String key,
                                            String detector, int limit) {
        if (jobId == null && bucket == null) {
            throw new IllegalArgumentException("a job id or a bucket is required");
        }
        if (jobId != null) {
            return Transactions.autoCommit(ds, "read findings", c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT f.finding_id, f.job_id, j.bucket, f.key, f.entry_path, f.detector, f.byte_offset,
                               f.masked_value, f.context, f.created_at
                        FROM findings f JOIN jobs j ON j.job_id = f.job_id
                        WHERE f.job_id = ? AND f.finding_id > ?
                          AND (?::text IS NULL OR j.bucket = ?::text)
                          AND (?::text IS NULL OR f.key = ?::text)
                          AND (?::text IS NULL OR f.detector = ?::text)
                        ORDER BY f.finding_id LIMIT ?""")) {
                    ps.setObject(1, jobId);
                    ps.setLong(2, afterFindingId);
                    ps.setString(3, bucket);
                    ps.setString(4, bucket);
                    ps.setString(5, key);
                    ps.setString(6, key);
                    ps.setString(7, detector);
                    ps.setString(8, detector);
                    ps.setInt(9, limit);
                    return storedFindings(ps);
                }
            });
        }
        return Transactions.autoCommit(ds, "read findings", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT f.finding_id, f.job_id, j.bucket, f.key, f.entry_path, f.detector, f.byte_offset,
                           f.masked_value, f.context, f.created_at
                    FROM jobs j CROSS JOIN LATERAL (
                        SELECT * FROM findings x
                        WHERE x.job_id = j.job_id AND x.finding_id > ?
                          AND (?::text IS NULL OR x.key = ?::text)
                          AND (?::text IS NULL OR x.detector = ?::text)
                        ORDER BY x.finding_id LIMIT ?) f
                    WHERE j.bucket = ?
                    ORDER BY f.finding_id LIMIT ?""")) {
                ps.setLong(1, afterFindingId);
                ps.setString(2, key);
                ps.setString(3, key);
                ps.setString(4, detector);
                ps.setString(5, detector);
                ps.setInt(6, limit);
                ps.setString(7, bucket);
                ps.setInt(8, limit);
                return storedFindings(ps);
            }
        });
    }

    private static List<StoredFinding> storedFindings(PreparedStatement ps) throws SQLException {
        List<StoredFinding> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredFinding(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8),
                        rs.getString(9), instant(rs.getTimestamp(10))));
            }
        }
        return out;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
