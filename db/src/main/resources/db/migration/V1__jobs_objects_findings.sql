-- S3 Scanner schema, version 1.
-- Object rows and findings are keyed by job; progress is kept in small counter rows
-- (job_counters) so that reading it, and refreshing job_progress, never scans job_objects.

CREATE TABLE jobs (
    job_id          uuid        PRIMARY KEY,
    bucket          text        NOT NULL,
    prefix          text        NOT NULL DEFAULT '',
    source          text        NOT NULL DEFAULT 'list' CHECK (source IN ('list', 'inventory')),
    tenant          text        NOT NULL,
    options         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status          text        NOT NULL DEFAULT 'listing'
                                CHECK (status IN ('listing', 'processing', 'completed', 'failed', 'cancelled')),
    status_reason   text,
    listing_done    boolean     NOT NULL DEFAULT false,
    list_token      text,
    pages_listed    bigint      NOT NULL DEFAULT 0,
    idempotency_key text        UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    listed_at       timestamptz,
    finished_at     timestamptz
);
CREATE INDEX jobs_created_at_idx ON jobs (created_at DESC);
CREATE INDEX jobs_bucket_idx ON jobs (bucket, created_at DESC);

-- One row per listed page: makes re-running a list step with the same token a no-op.
-- page_token is '' for the first page.
CREATE TABLE job_list_pages (
    job_id       uuid    NOT NULL REFERENCES jobs ON DELETE CASCADE,
    page_token   text    NOT NULL,
    next_token   text,
    object_count integer NOT NULL,
    enqueued     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, page_token)
);

-- One row per object per job. No foreign key to jobs: rows arrive by COPY at list speed.
CREATE TABLE job_objects (
    job_id        uuid        NOT NULL,
    key           text        NOT NULL,
    etag          text,
    size          bigint      NOT NULL,
    version_id    text,
    storage_class text,
    last_modified timestamptz,
    state         text        NOT NULL
                              CHECK (state IN ('queued', 'processing', 'succeeded', 'failed', 'skipped')),
    reason        text,
    detail        text,
    finding_count integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz,
    PRIMARY KEY (job_id, key)
);
CREATE INDEX job_objects_open_idx ON job_objects (job_id) WHERE state IN ('queued', 'processing');

-- Findings: masked value and redacted context only, never a raw value.
-- The unique key makes a redelivered message insert nothing new.
CREATE TABLE findings (
    finding_id   bigint      GENERATED ALWAYS AS IDENTITY,
    job_id       uuid        NOT NULL,
    key          text        NOT NULL,
    entry_path   text        NOT NULL DEFAULT '',
    detector     text        NOT NULL,
    byte_offset  bigint      NOT NULL,
    masked_value text        NOT NULL,
    context      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, finding_id),
    UNIQUE (job_id, key, entry_path, detector, byte_offset)
);
CREATE INDEX findings_job_detector_idx ON findings (job_id, detector, finding_id);

-- Live progress: per job a few counter rows (slots) per metric, updated in the same transaction
-- as the object state changes they count. Spreading updates over slots avoids one hot row.
-- metric: 'queued', 'processing', 'succeeded', 'failed', 'skipped', 'state:reason' (e.g.
-- 'skipped:binary'), 'findings', 'findings:<detector>', 'bytes_scanned', 'listed'.
CREATE TABLE job_counters (
    job_id uuid     NOT NULL,
    metric text     NOT NULL,
    slot   smallint NOT NULL,
    value  bigint   NOT NULL,
    PRIMARY KEY (job_id, metric, slot)
);

-- Cached progress for dashboards: aggregates the counter rows, so its refresh cost grows with
-- the number of jobs, not objects. Refreshed CONCURRENTLY (needs the plain unique index below).
CREATE MATERIALIZED VIEW job_progress AS
SELECT j.job_id,
       j.bucket,
       j.status,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'listed'), 0)        AS listed,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'queued'), 0)        AS queued,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'processing'), 0)    AS processing,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'succeeded'), 0)     AS succeeded,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'failed'), 0)        AS failed,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'skipped'), 0)       AS skipped,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'findings'), 0)      AS findings,
       coalesce(sum(c.value) FILTER (WHERE c.metric = 'bytes_scanned'), 0) AS bytes_scanned,
       now()                                                               AS refreshed_at
FROM jobs j
LEFT JOIN job_counters c ON c.job_id = j.job_id
GROUP BY j.job_id, j.bucket, j.status;

CREATE UNIQUE INDEX job_progress_job_id_idx ON job_progress (job_id);
