-- maintenance: every month partition archived before it was dropped — where its dump is, what it
-- held, and when it went. A month restored and archived again updates its row.
CREATE TABLE partition_archive (
    id           bigserial PRIMARY KEY,
    table_name   text        NOT NULL UNIQUE,     -- status_p2025_10
    parent       text        NOT NULL,            -- status
    month        date        NOT NULL CHECK (extract(day FROM month) = 1),  -- a calendar month in UTC
    rows         bigint      NOT NULL,
    path         text        NOT NULL,
    sha256       text        NOT NULL,
    bytes        bigint      NOT NULL,
    archived_at  timestamptz NOT NULL DEFAULT now(),
    dropped_at   timestamptz,
    run_id       bigint      NOT NULL REFERENCES batch_runs (id)
);
