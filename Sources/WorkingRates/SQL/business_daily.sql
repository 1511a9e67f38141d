-- Per business and business day. $1 business id, $2 business days, $3 run id, $4 slot width (minutes).
WITH days AS (SELECT * FROM business_day_windows($1::int8, $2::date[])),
ok_slots AS (
    SELECT d.business_day, count(*)::int AS n
      FROM days d
      JOIN status_collection sc ON sc.business_id = $1::int8 AND sc.ok
                               AND sc.slot >= d.opens AND sc.slot < d.closes
     GROUP BY d.business_day),
on_shift_per_slot AS (
    SELECT d.business_day, s.slot, count(*) AS n
      FROM days d
      JOIN status s ON s.business_id = $1::int8 AND s.slot >= d.opens AND s.slot < d.closes
                   AND s.status IN ('available', 'busy')
     GROUP BY d.business_day, s.slot),
casts AS (
    SELECT business_day, count(*)::int AS seen,
           count(*) FILTER (WHERE on_shift_samples > 0)::int AS on_shift,
           avg(on_shift_samples::numeric / samples) FILTER (WHERE on_shift_samples > 0) AS attendance,
           avg(busy_samples::numeric / on_shift_samples) FILTER (WHERE on_shift_samples > 0) AS working
      FROM status_history
     WHERE business_id = $1::int8 AND business_day = ANY ($2::date[])
     GROUP BY business_day)
INSERT INTO business_daily (business_id, business_day, window_start, window_end, expected_slots, ok_slots,
                            coverage, casts_seen, casts_on_shift, avg_attendance_rate, avg_working_rate,
                            peak_on_shift, run_id, computed_at)
SELECT $1::int8, d.business_day, d.opens, d.closes, e.expected, coalesce(o.n, 0),
       coalesce(round(coalesce(o.n, 0)::numeric / nullif(e.expected, 0), 6), 0),
       coalesce(c.seen, 0), coalesce(c.on_shift, 0), round(c.attendance, 6), round(c.working, 6),
       coalesce((SELECT max(p.n) FROM on_shift_per_slot p WHERE p.business_day = d.business_day), 0)::int,
       $3::int8, now()
  FROM days d
  -- Slots are the multiples of the slot width in [opens, closes): a 23- or 25-hour DST day has 46 or 50.
 CROSS JOIN LATERAL (SELECT (ceil(extract(epoch FROM d.closes) / ($4::int * 60))
                             - ceil(extract(epoch FROM d.opens) / ($4::int * 60)))::int AS expected) e
  LEFT JOIN ok_slots o USING (business_day)
  LEFT JOIN casts c USING (business_day)
ON CONFLICT (business_id, business_day) DO UPDATE
   SET window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
       expected_slots = EXCLUDED.expected_slots, ok_slots = EXCLUDED.ok_slots, coverage = EXCLUDED.coverage,
       casts_seen = EXCLUDED.casts_seen, casts_on_shift = EXCLUDED.casts_on_shift,
       avg_attendance_rate = EXCLUDED.avg_attendance_rate, avg_working_rate = EXCLUDED.avg_working_rate,
       peak_on_shift = EXCLUDED.peak_on_shift, run_id = EXCLUDED.run_id, computed_at = EXCLUDED.computed_at
