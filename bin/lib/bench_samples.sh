# Sourced by the benchmarks that need samples: round_the_clock_samples DAYS CASTS FIRST_SLOT
# creates businesses of 50 casts open around the clock (00:00–00:00 = 48 slots a day) and samples
# every cast in every slot for DAYS days from FIRST_SLOT (a timestamptz literal).
round_the_clock_samples() {
    local days="$1" casts="$2" first="$3"
    local businesses=$(( (casts + 49) / 50 ))
    log "generating $days days x $casts casts x 48 slots"
    psql_bench <<SQL
INSERT INTO batch_runs (job, host, pid, status) VALUES ('bench', 'bench', 0, 'succeeded');
INSERT INTO business (name, site, listing_url, open_time, close_time, created_at)
SELECT 'bench ' || i, 'dto', 'http://bench/' || i, '00:00', '00:00', timestamptz '$first'
  FROM generate_series(1, $businesses) i;
INSERT INTO "cast" (business_id, site_cast_id, name, first_seen_at, last_seen_at)
SELECT 1 + (c - 1) / 50, c::text, 'cast ' || c, now(), now() FROM generate_series(1, $casts) c;
INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, casts_seen)
SELECT b, 1, s, s, true, 50
  FROM generate_series(1, $businesses) b,
       generate_series(timestamptz '$first', timestamptz '$first' + ($days || ' days')::interval - interval '30 min', interval '30 min') s;
INSERT INTO status (cast_id, business_id, slot, status, raw_status)
SELECT c.id, c.business_id, sc.slot,
       (ARRAY['available','busy','busy','off','scheduled','finished'])[1 + (c.id * 7 + extract(epoch FROM sc.slot)::int8 / 1800) % 6],
       'x'
  FROM "cast" c JOIN status_collection sc ON sc.business_id = c.business_id;
SQL
}
