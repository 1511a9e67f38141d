-- One row per health report maintenance makes (and per `nightshift health --record`), so growth
-- and trends come from history: the database's size and each watched file system's free bytes
-- over time.
CREATE TABLE health_snapshot (
    id              bigserial PRIMARY KEY,
    taken_at        timestamptz NOT NULL,
    run_id          bigint      REFERENCES batch_runs (id),
    level           text        NOT NULL CHECK (level IN ('ok', 'warning', 'critical')),
    database_bytes  bigint      NOT NULL,
    free_bytes      jsonb       NOT NULL,   -- {"logs": 123, "output": 456, "backups": 789}
    report          jsonb       NOT NULL
);
CREATE INDEX health_snapshot_taken ON health_snapshot (taken_at);
