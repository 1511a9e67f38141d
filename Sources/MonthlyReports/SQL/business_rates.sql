-- The working-rate figures of businesses $2 (int8[]) for three months: the month ($1, its first
-- day), the month before and the same month a year earlier. Business days are the stored ones
-- (the local date a day's opening window starts on, so an overnight window and a 23- or 25-hour
-- DST day count once, in the month of their start). Rates are pooled ratios of stored counts:
-- attendance = on-shift samples / samples, working = busy samples / on-shift samples.
WITH bounds AS (
    SELECT $1::date AS first, ($1::date + interval '1 month')::date AS next,
           ($1::date - interval '1 month')::date AS before, ($1::date - interval '1 year')::date AS year_ago
), days AS (
    SELECT d.*, CASE WHEN d.business_day >= b.first THEN 'current'
                     WHEN d.business_day >= b.before THEN 'previous' ELSE 'year_ago' END AS period
      FROM business_daily d, bounds b
     WHERE d.business_id = ANY ($2::int8[])
       AND (d.business_day >= b.before AND d.business_day < b.next
            OR d.business_day >= b.year_ago AND d.business_day < (b.year_ago + interval '1 month')::date)
), casts AS (
    SELECT h.business_id, h.business_day, sum(h.samples) AS samples, sum(h.on_shift_samples) AS on_shift,
           sum(h.busy_samples) AS busy, count(DISTINCT h.cast_id) FILTER (WHERE h.on_shift_samples > 0) AS casts_on_shift
      FROM status_history h JOIN days d USING (business_id, business_day)
     GROUP BY h.business_id, h.business_day
)
SELECT d.business_id, d.period, count(*) AS days,
       sum(d.expected_slots) AS expected_slots, sum(d.ok_slots) AS ok_slots,
       coalesce(sum(c.samples), 0) AS samples, coalesce(sum(c.on_shift), 0) AS on_shift_samples, coalesce(sum(c.busy), 0) AS busy_samples,
       max(d.peak_on_shift) AS peak_on_shift,
       array_agg(extract(day FROM d.business_day)::int ORDER BY d.business_day) AS day_numbers,
       array_agg(coalesce(c.samples, 0) ORDER BY d.business_day) AS daily_samples,
       array_agg(coalesce(c.on_shift, 0) ORDER BY d.business_day) AS daily_on_shift,
       array_agg(coalesce(c.busy, 0) ORDER BY d.business_day) AS daily_busy
  FROM days d LEFT JOIN casts c USING (business_id, business_day)
 GROUP BY d.business_id, d.period
