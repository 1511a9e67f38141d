-- The system-wide row of one day ($1 date, run $2): the sum of that day's company rows. Written
-- last, in the same transaction, so its presence marks the day as computed.
INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                       approaches, emails_sent, logins, api_calls, storage_mb, run_id, computed_at)
SELECT NULL, $1::date, coalesce(sum(total_users), 0), coalesce(sum(active_users), 0),
       coalesce(sum(total_engineers), 0), coalesce(sum(active_engineers), 0),
       coalesce(sum(approaches), 0), coalesce(sum(emails_sent), 0), coalesce(sum(logins), 0),
       coalesce(sum(api_calls), 0), coalesce(sum(storage_mb), 0), $2, now()
  FROM usage_log WHERE company_id IS NOT NULL AND usage_date = $1::date
ON CONFLICT (company_id, usage_date) DO UPDATE SET
    total_users = EXCLUDED.total_users, active_users = EXCLUDED.active_users,
    total_engineers = EXCLUDED.total_engineers, active_engineers = EXCLUDED.active_engineers,
    approaches = EXCLUDED.approaches, emails_sent = EXCLUDED.emails_sent, logins = EXCLUDED.logins,
    api_calls = EXCLUDED.api_calls, storage_mb = EXCLUDED.storage_mb, run_id = EXCLUDED.run_id,
    computed_at = EXCLUDED.computed_at
