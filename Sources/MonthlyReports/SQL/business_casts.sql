-- The casts of businesses $2 (int8[]) in the month from $1 ($3 its last day), from the stored
-- days (a cast is "seen" on a business day it has a status_history row: it was listed):
-- 'top'      the ten best working rates (busy / on-shift samples, exact) among casts with at least
--            $4 on-shift samples, ties to the more on-shift samples, then the lower id;
-- 'new'      first seen this month (no day before it), with that day;
-- 'vanished' last seen 30 days or more before the month's end, and not before the 30 days
--            preceding the month (so each cast is listed in one month only), with that day.
WITH month AS (
    SELECT h.business_id, h.cast_id, sum(h.samples) AS samples, sum(h.on_shift_samples) AS on_shift,
           sum(h.busy_samples) AS busy, min(h.business_day) AS first_day
      FROM status_history h
     WHERE h.business_id = ANY ($2::int8[]) AND h.business_day BETWEEN $1::date AND $3::date
     GROUP BY h.business_id, h.cast_id
), ranked AS (
    SELECT m.*, row_number() OVER (PARTITION BY m.business_id
                                   ORDER BY m.busy::numeric / m.on_shift DESC, m.on_shift DESC, m.cast_id) AS rank
      FROM month m WHERE m.on_shift >= $4
), vanished AS (
    SELECT h.business_id, h.cast_id, max(h.business_day) AS last_day
      FROM status_history h
     WHERE h.business_id = ANY ($2::int8[]) AND h.business_day BETWEEN $1::date - 30 AND $3::date
     GROUP BY h.business_id, h.cast_id
    HAVING max(h.business_day) <= $3::date - 30
)
SELECT 'top' AS kind, r.business_id, r.cast_id, c.name, r.samples, r.on_shift, r.busy, NULL::text AS day, r.rank AS position
  FROM ranked r JOIN "cast" c ON c.id = r.cast_id WHERE r.rank <= 10
UNION ALL
SELECT 'new', m.business_id, m.cast_id, c.name, m.samples, m.on_shift, m.busy, m.first_day::text, 0
  FROM month m JOIN "cast" c ON c.id = m.cast_id
 WHERE NOT EXISTS (SELECT 1 FROM status_history e WHERE e.cast_id = m.cast_id AND e.business_day < $1::date)
UNION ALL
SELECT 'vanished', v.business_id, v.cast_id, c.name, 0, 0, 0, v.last_day::text, 0
  FROM vanished v JOIN "cast" c ON c.id = v.cast_id
 ORDER BY kind, business_id, position, day, cast_id
