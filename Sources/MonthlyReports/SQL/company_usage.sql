-- The company usage figures of a month ($1, its first day) and the month before, for the
-- companies $2 (int8[]) and, when $3, the system-wide rows (as company 0): per period the days with a row, maxima, sums (averages are sum / days,
-- divided only for display), month-end values, and the daily series of active users and
-- approaches (day of month → value). Periods without rows are absent.
WITH bounds AS (
    SELECT $1::date AS first, ($1::date + interval '1 month')::date AS next, ($1::date - interval '1 month')::date AS before
), rows AS (
    SELECT u.*, coalesce(u.company_id, 0) AS subject, CASE WHEN u.usage_date >= b.first THEN 'current' ELSE 'previous' END AS period
      FROM usage_log u, bounds b
     WHERE (u.company_id = ANY ($2::int8[]) OR ($3 AND u.company_id IS NULL)) AND u.usage_date >= b.before AND u.usage_date < b.next
)
SELECT subject AS company_id, period, count(*) AS days,
       max(total_users) AS users_max, sum(total_users) AS users_sum,
       (array_agg(total_users ORDER BY usage_date DESC))[1] AS users_end,
       max(active_users) AS active_users_max, sum(active_users) AS active_users_sum,
       max(total_engineers) AS engineers_max, max(active_engineers) AS active_engineers_max,
       sum(approaches) AS approaches, sum(emails_sent) AS emails_sent, sum(logins) AS logins, sum(api_calls) AS api_calls,
       (array_agg(storage_mb ORDER BY usage_date DESC))[1] AS storage_end_mb,
       array_agg(extract(day FROM usage_date)::int ORDER BY usage_date) AS day_numbers,
       array_agg(active_users ORDER BY usage_date) AS daily_active_users,
       array_agg(approaches ORDER BY usage_date) AS daily_approaches
  FROM rows
 GROUP BY subject, period
