-- maintenance analyze: one row per weekly performance analysis (its figures as JSON); table growth
-- is measured against the previous row.
CREATE TABLE performance_analysis (
    id        bigserial PRIMARY KEY,
    taken_at  timestamptz NOT NULL,
    run_id    bigint      NOT NULL REFERENCES batch_runs (id),
    report    jsonb       NOT NULL
);
CREATE INDEX performance_analysis_taken ON performance_analysis (taken_at);
