-- Where in the week and the day the casts of businesses $2 (int8[]) worked in the month from $1:
-- the samples inside the windows of the month's computed business days, by the business day's
-- weekday (ISO, 1 = Monday) and the local hour ('cell' rows), and per local time of a slot the
-- successful collections and the casts on shift in them ('slot' rows). An overnight window's
-- early hours count under the weekday it opened on.
WITH days AS (
    SELECT d.business_id, d.business_day, d.window_start, d.window_end, b.time_zone
      FROM business_daily d JOIN business b ON b.id = d.business_id
     WHERE d.business_id = ANY ($2::int8[])
       AND d.business_day >= $1::date AND d.business_day < ($1::date + interval '1 month')::date
), samples AS (
    SELECT d.business_id, extract(isodow FROM d.business_day)::int AS weekday,
           (s.slot AT TIME ZONE d.time_zone)::time AS local_time, s.status
      FROM days d JOIN status s ON s.business_id = d.business_id AND s.slot >= d.window_start AND s.slot < d.window_end
), grouped AS (
    SELECT business_id, weekday, extract(hour FROM local_time)::int AS hour, local_time, count(*) AS samples,
           count(*) FILTER (WHERE status IN ('available', 'busy')) AS on_shift, count(*) FILTER (WHERE status = 'busy') AS busy
      FROM samples
     GROUP BY GROUPING SETS ((business_id, weekday, extract(hour FROM local_time)), (business_id, local_time))
), collections AS (
    SELECT d.business_id, (c.slot AT TIME ZONE d.time_zone)::time AS local_time, count(*) AS collections
      FROM days d JOIN status_collection c ON c.business_id = d.business_id AND c.ok AND c.slot >= d.window_start AND c.slot < d.window_end
     GROUP BY 1, 2
)
SELECT 'cell' AS kind, business_id, weekday, hour, NULL AS slot_time, samples, on_shift, busy, 0::int8 AS collections
  FROM grouped WHERE local_time IS NULL
UNION ALL
SELECT 'slot', c.business_id, NULL, NULL, to_char(c.local_time, 'HH24:MI'), coalesce(g.samples, 0), coalesce(g.on_shift, 0),
       coalesce(g.busy, 0), c.collections
  FROM collections c LEFT JOIN grouped g ON g.business_id = c.business_id AND g.local_time = c.local_time AND g.weekday IS NULL
