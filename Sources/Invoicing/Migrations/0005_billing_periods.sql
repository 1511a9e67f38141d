-- What an invoice calls a plan; NULL means its name.
ALTER TABLE contract_plan ADD COLUMN display_name text;

-- invoice's item keys carry the billing month (`contract:ID:YYYY-MM`), so a later month's
-- success no longer closes an earlier month's failure. Existing keys take the month of the run
-- that last recorded them: from its metadata, else its --month argument, else the month before
-- the one it was first seen in (Tokyo time, the default zone).
UPDATE batch_failures f
   SET item_key = f.item_key || ':' || coalesce(
           r.metadata->>'month',
           (SELECT a.arg FROM unnest(r.arguments) WITH ORDINALITY AS a(arg, i)
             WHERE a.arg ~ '^[0-9]{4}-[0-9]{2}$' AND r.arguments[a.i - 1] = '--month' LIMIT 1),
           to_char((f.first_seen_at AT TIME ZONE 'Asia/Tokyo') - interval '1 month', 'YYYY-MM'))
  FROM batch_runs r
 WHERE r.id = f.run_id AND f.job = 'invoice' AND f.item_key ~ '^contract:[0-9]+$';
