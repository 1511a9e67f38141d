-- How well businesses $2 (int8[]) were collected in the month from $1: per computed business day
-- its expected and successful slots and the failed collections in its window ('day' rows); for
-- the days under 90 % coverage, each failed collection, at its local time ('failure' rows).
WITH days AS (
    SELECT d.business_id, d.business_day, d.window_start, d.window_end, d.expected_slots, d.ok_slots, b.time_zone
      FROM business_daily d JOIN business b ON b.id = d.business_id
     WHERE d.business_id = ANY ($2::int8[])
       AND d.business_day >= $1::date AND d.business_day < ($1::date + interval '1 month')::date
), failures AS (
    SELECT d.business_id, d.business_day, c.slot, d.time_zone, c.http_status, c.error,
           d.ok_slots * 10 < d.expected_slots * 9 AS low
      FROM days d JOIN status_collection c ON c.business_id = d.business_id AND NOT c.ok
                                          AND c.slot >= d.window_start AND c.slot < d.window_end
)
SELECT 'day' AS kind, d.business_id, d.business_day::text AS day, d.expected_slots, d.ok_slots,
       (SELECT count(*) FROM failures f WHERE f.business_id = d.business_id AND f.business_day = d.business_day) AS failed,
       NULL AS local_slot, NULL::int AS http_status, NULL AS error
  FROM days d
UNION ALL
SELECT 'failure', f.business_id, f.business_day::text, 0, 0, 0, to_char(f.slot AT TIME ZONE f.time_zone, 'MM-DD HH24:MI'),
       f.http_status, f.error
  FROM failures f WHERE f.low
 ORDER BY kind, business_id, day, local_slot
