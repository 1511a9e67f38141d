-- A run stopped by SIGTERM / SIGINT between units of work is `interrupted` (its counts kept),
-- not left `running` for the next run to mark abandoned.
ALTER TABLE batch_runs DROP CONSTRAINT batch_runs_status_check;
ALTER TABLE batch_runs ADD CONSTRAINT batch_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'skipped', 'abandoned', 'interrupted'));
