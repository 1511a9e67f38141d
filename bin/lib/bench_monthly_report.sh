# Sourced by bin/bench monthly-report (BIN, DB, psql_bench and the env set). COMPANIES (default
# 1000) companies with September and October 2026 of usage_log rows; BUSINESSES (default 200)
# businesses open 18:00–05:00 (22 slots a night) with CASTS (default 2000) casts between them and
# two months of samples (a cast in ten new in mid-October, one in ten gone after 20 September,
# about 1 % of collections failed), computed by the real rate-calc; then `monthly-report --month
# 2026-10` end to end, every kind: figures, report rows, PDFs with charts, their poppler check, CSVs.
COMPANIES="${2:-1000}"; BUSINESSES="${3:-200}"; CASTS="${4:-2000}"
log "generating $COMPANIES companies with 61 days of usage"
psql_bench <<SQL
INSERT INTO batch_runs (job, host, pid, status) VALUES ('bench', 'bench', 0, 'succeeded');
INSERT INTO company (name, billing_email, created_at)
SELECT '株式会社ベンチ' || i, 'billing' || i || '@bench.example', '2026-01-01' FROM generate_series(1, $COMPANIES) i;
INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                       approaches, emails_sent, logins, api_calls, storage_mb, run_id)
SELECT c, d, 3 + (c * 7 + extract(day FROM d)::int) % 30, 2 + c % 5, 1 + c % 20, 1, (c + extract(day FROM d)::int) % 9, 5, 10, 100, 50, 1
  FROM generate_series(1, $COMPANIES) c, generate_series(date '2026-09-01', date '2026-10-31', '1 day') d;
INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                       approaches, emails_sent, logins, api_calls, storage_mb, run_id)
SELECT NULL, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM generate_series(date '2026-09-01', date '2026-10-31', '1 day') d;
SQL
log "generating $BUSINESSES businesses, $CASTS casts, two months of samples"
psql_bench <<SQL
INSERT INTO business (name, site, listing_url, open_time, close_time, created_at)
SELECT '店舗ベンチ' || i, 'dto', 'http://bench/' || i, '18:00', '05:00', '2026-01-01' FROM generate_series(1, $BUSINESSES) i;
INSERT INTO "cast" (business_id, site_cast_id, name, first_seen_at, last_seen_at)
SELECT 1 + (c - 1) % $BUSINESSES, c::text, 'キャスト' || c, now(), now() FROM generate_series(1, $CASTS) c;
INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, casts_seen, http_status, error)
SELECT b, 1, s, s, (b * 31 + extract(epoch FROM s)::int8 / 1800) % 97 <> 0, 0,
       CASE WHEN (b * 31 + extract(epoch FROM s)::int8 / 1800) % 97 = 0 THEN 503 END,
       CASE WHEN (b * 31 + extract(epoch FROM s)::int8 / 1800) % 97 = 0 THEN 'HTTP 503' END
  FROM generate_series(1, $BUSINESSES) b, generate_series(date '2026-09-01', date '2026-10-31', '1 day') d,
       generate_series((d::date + time '18:00') AT TIME ZONE 'Asia/Tokyo',
                       (d::date + time '18:00') AT TIME ZONE 'Asia/Tokyo' + interval '10 hours 30 minutes', interval '30 minutes') s;
INSERT INTO status (cast_id, business_id, slot, status, raw_status)
SELECT c.id, c.business_id, sc.slot,
       CASE WHEN r < 25 THEN 'off' WHEN r < 35 + 4 * ((extract(hour FROM sc.slot AT TIME ZONE 'Asia/Tokyo')::int + 6) % 24) THEN 'busy'
            ELSE 'available' END, 'x'
  FROM "cast" c JOIN status_collection sc ON sc.business_id = c.business_id AND sc.ok
 -- n: the cast's place in its business (0 …); r: a pseudo-random 0–99 per cast and slot.
 CROSS JOIN LATERAL (SELECT (c.id - 1) / $BUSINESSES AS n) p
 CROSS JOIN LATERAL (SELECT ((p.n * 37 + c.business_id * 11 + extract(epoch FROM sc.slot)::int8 / 1800 * 59) % 100)::int AS r) x
 WHERE NOT (p.n % 10 = 9 AND sc.slot < timestamptz '2026-10-15 12:00+09')
   AND NOT (p.n % 10 = 8 AND sc.slot > timestamptz '2026-09-21 12:00+09');
SQL
psql_bench -c "VACUUM ANALYZE"
log "rate-calc for September and October ($(psql_bench -c 'SELECT count(*) FROM status') samples)"
"$BIN/rate-calc" --from 2026-09-01 --to 2026-10-31 --now 2026-11-02T06:00
psql_bench -c "VACUUM ANALYZE"
export OUTPUT_DIR="$VAR/bench-output"
rm -rf "$OUTPUT_DIR"
read -r wall rss code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/monthly-report" --month 2026-10 --now 2026-11-02T07:00)
made="$(psql_bench -c "SELECT count(*) FROM report WHERE rendered_at IS NOT NULL")"
kinds="$(psql_bench -c "SELECT string_agg(kind || ' ' || n, ', ') FROM (SELECT kind, count(*) AS n FROM report WHERE rendered_at IS NOT NULL GROUP BY kind ORDER BY kind) k")"
echo "monthly-report: $COMPANIES companies, $BUSINESSES businesses, exit $code, $made reports rendered (PDF + CSV): $kinds"
python3 -c "w=$wall; print(f'  wall {w:.1f} s   reports/s {$made/w:.0f}   peak RSS $rss MiB   (target: <= 30 s, <= 150 MB)')"
# Where the time goes: the business reports alone (figures from the samples, three pages each),
# and their figures alone (a dry run computes them and keeps nothing).
psql_bench -c "DELETE FROM report WHERE kind = 'business'" >/dev/null
read -r dwall _ dcode _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/monthly-report" --month 2026-10 --kind business --dry-run --now 2026-11-02T07:00)
rm -rf "$OUTPUT_DIR/reports/2026-10/business"
read -r bwall brss bcode _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/monthly-report" --month 2026-10 --kind business --now 2026-11-02T07:00)
python3 -c "print(f'  of which the $BUSINESSES business reports alone: {$bwall:.1f} s, exit $bcode, peak RSS $brss MiB; their figures alone (--dry-run): {$dwall:.1f} s, exit $dcode')"
