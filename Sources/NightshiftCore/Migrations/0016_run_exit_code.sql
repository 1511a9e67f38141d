-- The exit code each finished run gave (for metrics and the status page): 0, 1, 2, 75, 78, 130, 143.
ALTER TABLE batch_runs ADD COLUMN exit_code integer;
UPDATE batch_runs SET exit_code = CASE status WHEN 'succeeded' THEN 0 WHEN 'skipped' THEN 0 WHEN 'partial' THEN 1 WHEN 'failed' THEN 2 END
 WHERE finished_at IS NOT NULL;
