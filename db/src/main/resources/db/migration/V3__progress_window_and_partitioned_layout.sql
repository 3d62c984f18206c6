-- S3 Scanner schema, version 3: progress whose reads and refreshes grow with neither objects nor
-- jobs, and the partitioned layout of job_objects/findings for the large and enterprise tiers.
--
-- Placeholder ${partitioned}: 'true' or 'false' (SchemaMigrator passes SCANNER_PARTITIONED; Flyway
-- replaces placeholders in every migration, so no migration may contain a dollar sign followed by
-- a brace except this one placeholder).

-- 1. Counter rows are updated in every object-state transaction. Half-empty pages let PostgreSQL
--    keep each new row version on the same page (a HOT update: no index write), and a low vacuum
--    threshold removes dead versions before they slow the O(1) reads.
ALTER TABLE job_counters SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01,
                              autovacuum_vacuum_threshold = 1000);

-- 2. The jobs job_progress shows: open ones, and ones that finished in the last 24 hours. Both are
--    found through an index, so the refresh does not read every job ever run.
CREATE INDEX jobs_open_idx ON jobs (job_id) WHERE status IN ('listing', 'processing');
CREATE INDEX jobs_finished_at_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- 3. job_progress: cached progress for dashboards and GET /jobs without real_time.
--    It aggregates job_counters (a few hundred rows per job, whatever its object count) of the jobs
--    that can still change or changed recently. Older jobs are final: their counters no longer
--    move, and JobStore reads them live in O(1) when a job is not in the view (JobStore.cachedProgress).
--    Created WITH DATA, so the first REFRESH ... CONCURRENTLY works (it needs a populated view), and
--    with a plain unique index on job_id (CONCURRENTLY needs one with no WHERE clause).
DROP MATERIALIZED VIEW job_progress;
CREATE MATERIALIZED VIEW job_progress AS
WITH shown AS (
    SELECT job_id, bucket, prefix, status, status_reason, listing_done, created_at, finished_at
    FROM jobs
    WHERE status IN ('listing', 'processing')
       OR finished_at > now() - interval '24 hours'
), totals AS (
    SELECT c.job_id, c.metric, sum(c.value)::bigint AS value
    FROM shown s
    JOIN job_counters c ON c.job_id = s.job_id
    GROUP BY c.job_id, c.metric
)
SELECT s.job_id,
       s.bucket,
       s.prefix,
       s.status,
       s.status_reason,
       s.listing_done,
       s.created_at,
       s.finished_at,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'listed'), 0)::bigint        AS listed,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'queued'), 0)::bigint        AS queued,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'processing'), 0)::bigint    AS processing,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'succeeded'), 0)::bigint     AS succeeded,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'failed'), 0)::bigint        AS failed,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'skipped'), 0)::bigint       AS skipped,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'findings'), 0)::bigint      AS findings,
       coalesce(sum(t.value) FILTER (WHERE t.metric = 'bytes_scanned'), 0)::bigint AS bytes_scanned,
       coalesce(jsonb_object_agg(t.metric, t.value) FILTER (WHERE t.metric IS NOT NULL), '{}'::jsonb)
                                                                                   AS counters,
       now()                                                                       AS refreshed_at
FROM shown s
LEFT JOIN totals t ON t.job_id = s.job_id
GROUP BY s.job_id, s.bucket, s.prefix, s.status, s.status_reason, s.listing_done, s.created_at, s.finished_at;

CREATE UNIQUE INDEX job_progress_job_id_idx ON job_progress (job_id);

-- 4. The refresh, as one statement the refresher sends (no SET from the client: RDS Proxy pins a
--    session on SET, on set_config and on session-level advisory locks).
--    * pg_try_advisory_xact_lock: a second refresh started meanwhile returns false at once instead of
--      queueing behind the first; the lock ends with the transaction (RDS Proxy does not pin on
--      transaction-level advisory locks).
--    * lock_timeout as a function setting (applies only while the function runs): a refresh that
--      cannot get its locks (DDL, a manual REFRESH without CONCURRENTLY) fails after 10 s instead of
--      holding a connection until the next schedule.
--    The lock key is ProgressViewRefresher.LOCK_KEY (0x53337363616e0001).
CREATE FUNCTION scanner_refresh_job_progress() RETURNS boolean
    LANGUAGE plpgsql
    SET lock_timeout = '10s'
AS $fn$
BEGIN
    IF NOT pg_try_advisory_xact_lock(5995262399633817601) THEN
        RETURN false;
    END IF;
    REFRESH MATERIALIZED VIEW CONCURRENTLY job_progress;
    RETURN true;
END
$fn$;

-- 5. Partitioned layout. scanner_prepare_job(job) creates a job's partitions of job_objects and
--    findings when those tables are partitioned, and does nothing otherwise, so JobStore calls it
--    for every new job in either layout. A partition is created as a plain table and then attached:
--    ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the parent, which does not block the workers'
--    reads and writes (CREATE TABLE ... PARTITION OF would take ACCESS EXCLUSIVE).
--    Returns whether it created anything.
CREATE FUNCTION scanner_prepare_job(job uuid) RETURNS boolean
    LANGUAGE plpgsql
AS $fn$
DECLARE
    t       text;
    part    text;
    created boolean := false;
BEGIN
    FOREACH t IN ARRAY ARRAY['job_objects', 'findings'] LOOP
        CONTINUE WHEN (SELECT c.relkind FROM pg_class c WHERE c.oid = t::regclass) <> 'p';
        part := t || '_' || replace(job::text, '-', '');
        CONTINUE WHEN to_regclass(part) IS NOT NULL;
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE '
                       'INCLUDING COMPRESSION)', part, t);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', t, part, job);
        created := true;
    END LOOP;
    RETURN created;
END
$fn$;

-- scanner_use_partitioned_layout(move_rows) turns job_objects and findings into tables partitioned
-- by LIST (job_id), keeping every column, default, constraint, identity and index (with its name)
-- that the plain tables have at that moment (whatever earlier migrations made of them), and creates
-- the partitions of every existing job. Returns false when they are partitioned already.
--   * Without move_rows (what migrations do), it refuses tables that hold rows: converting a large
--     table must be a decision taken for a maintenance window, not a side effect of a deployment.
--   * With move_rows => true it copies the rows (finding ids kept) in the same transaction, holding
--     ACCESS EXCLUSIVE locks on both tables until it commits: the pipeline waits meanwhile.
CREATE FUNCTION scanner_use_partitioned_layout(move_rows boolean DEFAULT false) RETURNS boolean
    LANGUAGE plpgsql
AS $fn$
DECLARE
    t         text;
    names     text[];
    tails     text[];
    new_index text;
    i         int;
BEGIN
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'job_objects'::regclass) = 'p' THEN
        RETURN false;
    END IF;
    LOCK TABLE job_objects, findings IN ACCESS EXCLUSIVE MODE;
    IF NOT move_rows AND (EXISTS (SELECT 1 FROM job_objects) OR EXISTS (SELECT 1 FROM findings)) THEN
        RAISE EXCEPTION 'job_objects and findings already hold rows, so they are not partitioned automatically'
            USING HINT = 'Keep SCANNER_PARTITIONED=false, or move the rows in a maintenance window with '
                         'SELECT scanner_use_partitioned_layout(move_rows => true) (DEVELOPERS.md, "Partitioned layout").';
    END IF;
    FOREACH t IN ARRAY ARRAY['job_objects', 'findings'] LOOP
        -- the old table's index names and definitions (from USING on, the same for a partitioned index)
        SELECT array_agg(ic.relname ORDER BY ic.oid),
               array_agg(substr(pg_get_indexdef(ic.oid), strpos(pg_get_indexdef(ic.oid), ' USING ')) ORDER BY ic.oid)
        INTO names, tails
        FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
        WHERE x.indrelid = t::regclass;
        -- free the names for the new table's indexes (renaming a constraint's index renames the constraint)
        FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
            EXECUTE format('ALTER INDEX %I RENAME TO %I', names[i], 'scanner_old_' || i || '_' || t);
        END LOOP;
        EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_unpartitioned');
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL) PARTITION BY LIST (job_id)', t, t || '_unpartitioned');
        FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
            SELECT ic.relname INTO new_index
            FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
            WHERE x.indrelid = t::regclass
              AND substr(pg_get_indexdef(ic.oid), strpos(pg_get_indexdef(ic.oid), ' USING ')) = tails[i];
            IF new_index IS NULL THEN
                RAISE EXCEPTION 'partitioned % has no index matching % (%)', t, names[i], tails[i];
            END IF;
            IF new_index <> names[i] THEN
                EXECUTE format('ALTER INDEX %I RENAME TO %I', new_index, names[i]);
            END IF;
        END LOOP;
    END LOOP;
    PERFORM scanner_prepare_job(j.job_id) FROM jobs j;
    IF move_rows THEN
        INSERT INTO job_objects SELECT * FROM job_objects_unpartitioned;
        INSERT INTO findings OVERRIDING SYSTEM VALUE SELECT * FROM findings_unpartitioned;
        PERFORM setval(pg_get_serial_sequence('findings', 'finding_id'),
                       coalesce((SELECT max(finding_id) FROM findings), 0) + 1, false);
    END IF;
    DROP TABLE job_objects_unpartitioned;
    DROP TABLE findings_unpartitioned;
    RETURN true;
END
$fn$;

DO $do$
BEGIN
    IF '${partitioned}' = 'true' THEN
        PERFORM scanner_use_partitioned_layout();
    END IF;
END
$do$;
