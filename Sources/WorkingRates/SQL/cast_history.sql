-- Per cast and business day. $1 business id, $2 business days (date[]), $3 run id.
WITH days AS (SELECT * FROM business_day_windows($1::int8, $2::date[])),
ok_slots AS (
    SELECT d.business_day, count(*)::int AS samples
      FROM days d
      JOIN status_collection sc ON sc.business_id = $1::int8 AND sc.ok
                               AND sc.slot >= d.opens AND sc.slot < d.closes
     GROUP BY d.business_day),
per_cast AS (
    SELECT d.business_day, s.cast_id,
           count(*) FILTER (WHERE s.status IN ('available', 'busy'))::int AS on_shift,
           count(*) FILTER (WHERE s.status = 'busy')::int AS busy,
           min(s.slot) FILTER (WHERE s.status IN ('available', 'busy')) AS first_on,
           max(s.slot) FILTER (WHERE s.status IN ('available', 'busy')) AS last_on
      FROM days d
      JOIN status s ON s.business_id = $1::int8 AND s.slot >= d.opens AND s.slot < d.closes
     GROUP BY d.business_day, s.cast_id)
INSERT INTO status_history (cast_id, business_id, business_day, samples, on_shift_samples, busy_samples,
                            attendance_rate, working_rate, first_on_shift_slot, last_on_shift_slot,
                            run_id, computed_at)
SELECT pc.cast_id, $1::int8, pc.business_day, o.samples, pc.on_shift, pc.busy,
       round(pc.on_shift::numeric / o.samples, 6),
       round(pc.busy::numeric / nullif(pc.on_shift, 0), 6),
       pc.first_on, pc.last_on, $3::int8, now()
  FROM per_cast pc JOIN ok_slots o USING (business_day)
ON CONFLICT (cast_id, business_day) DO UPDATE
   SET samples = EXCLUDED.samples, on_shift_samples = EXCLUDED.on_shift_samples,
       busy_samples = EXCLUDED.busy_samples, attendance_rate = EXCLUDED.attendance_rate,
       working_rate = EXCLUDED.working_rate, first_on_shift_slot = EXCLUDED.first_on_shift_slot,
       last_on_shift_slot = EXCLUDED.last_on_shift_slot, run_id = EXCLUDED.run_id,
       computed_at = EXCLUDED.computed_at
