-- The run ledger: one row per run of any job, and the dead-letter list of items that failed.
CREATE TABLE batch_runs (
    id            bigserial PRIMARY KEY,
    job           text        NOT NULL,
    arguments     text[]      NOT NULL DEFAULT '{}',
    host          text        NOT NULL,
    pid           integer     NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text        NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'skipped', 'abandoned')),
    items_ok      integer     NOT NULL DEFAULT 0,
    items_failed  integer     NOT NULL DEFAULT 0,
    error         text,
    metadata      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX batch_runs_job_started ON batch_runs (job, started_at DESC);
CREATE INDEX batch_runs_running ON batch_runs (job) WHERE status = 'running';

CREATE TABLE batch_failures (
    id               bigserial PRIMARY KEY,
    run_id           bigint      NOT NULL REFERENCES batch_runs (id),
    job              text        NOT NULL,
    item_key         text        NOT NULL,
    error            text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 1,
    occurrences      integer     NOT NULL DEFAULT 1,
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    resolved_by_run  bigint REFERENCES batch_runs (id)
);
-- At most one open dead-letter entry per item; repeats update it.
CREATE UNIQUE INDEX batch_failures_open_item ON batch_failures (job, item_key) WHERE resolved_at IS NULL;
