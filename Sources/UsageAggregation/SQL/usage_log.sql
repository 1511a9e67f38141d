-- One local day ($1 date, zone $2, run $3): a usage_log row per active company, upserted.
-- A user, engineer or file counts on a day when it existed at any moment of it; storage is what
-- was stored at the day's end. Day bounds come from the zone, so a DST day has 23 or 25 hours.
WITH day AS (
    SELECT $1::date AS usage_date,
           ($1::date)::timestamp AT TIME ZONE $2::text AS starts,
           ($1::date + 1)::timestamp AT TIME ZONE $2::text AS ends
), companies AS (
    SELECT c.id FROM company c, day WHERE c.active AND c.created_at < day.ends
), users AS (
    SELECT u.company_id, count(*) AS total
      FROM app_user u JOIN companies c ON c.id = u.company_id, day
     WHERE u.created_at < day.ends AND (u.deleted_at IS NULL OR u.deleted_at > day.starts)
     GROUP BY u.company_id
), engineers AS (
    SELECT e.company_id, count(*) AS total, count(*) FILTER (WHERE e.status = 'active') AS active
      FROM engineer e JOIN companies c ON c.id = e.company_id, day
     WHERE e.created_at < day.ends AND (e.deleted_at IS NULL OR e.deleted_at > day.starts)
     GROUP BY e.company_id
), activity AS (
    SELECT a.company_id,
           count(DISTINCT a.user_id) AS active_users,
           count(*) FILTER (WHERE a.kind = 'approach') AS approaches,
           count(*) FILTER (WHERE a.kind = 'email_sent') AS emails_sent,
           count(*) FILTER (WHERE a.kind = 'login') AS logins,
           count(*) FILTER (WHERE a.kind = 'api_call') AS api_calls
      FROM activity_event a JOIN companies c ON c.id = a.company_id, day
     WHERE a.occurred_at >= day.starts AND a.occurred_at < day.ends
     GROUP BY a.company_id
), storage AS (
    SELECT f.company_id, sum(f.size_bytes) AS bytes
      FROM stored_file f JOIN companies c ON c.id = f.company_id, day
     WHERE f.created_at < day.ends AND (f.deleted_at IS NULL OR f.deleted_at >= day.ends)
     GROUP BY f.company_id
)
INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                       approaches, emails_sent, logins, api_calls, storage_mb, run_id, computed_at)
SELECT c.id, day.usage_date, coalesce(u.total, 0), coalesce(a.active_users, 0),
       coalesce(e.total, 0), coalesce(e.active, 0),
       coalesce(a.approaches, 0), coalesce(a.emails_sent, 0), coalesce(a.logins, 0), coalesce(a.api_calls, 0),
       ceil(coalesce(s.bytes, 0) / 1048576)::bigint, $3, now()
  FROM companies c CROSS JOIN day
  LEFT JOIN users u ON u.company_id = c.id
  LEFT JOIN engineers e ON e.company_id = c.id
  LEFT JOIN activity a ON a.company_id = c.id
  LEFT JOIN storage s ON s.company_id = c.id
ON CONFLICT (company_id, usage_date) DO UPDATE SET
    total_users = EXCLUDED.total_users, active_users = EXCLUDED.active_users,
    total_engineers = EXCLUDED.total_engineers, active_engineers = EXCLUDED.active_engineers,
    approaches = EXCLUDED.approaches, emails_sent = EXCLUDED.emails_sent, logins = EXCLUDED.logins,
    api_calls = EXCLUDED.api_calls, storage_mb = EXCLUDED.storage_mb, run_id = EXCLUDED.run_id,
    computed_at = EXCLUDED.computed_at
