# Sourced by bin/bench monthly-report (BIN, DB, psql_bench and the env set). COMPANIES (default
# 1000) companies with September and October 2026 of usage_log rows, then `monthly-report --month
# 2026-10` end to end: figures, report rows, PDFs with charts, their poppler check, CSVs.
# (The business and operator reports of issue 16 are not built yet.)
COMPANIES="${2:-1000}"
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
psql_bench -c "VACUUM ANALYZE"
export OUTPUT_DIR="$VAR/bench-output"
rm -rf "$OUTPUT_DIR"
read -r wall rss code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/monthly-report" --month 2026-10 --now 2026-11-02T07:00)
made="$(psql_bench -c "SELECT count(*) FROM report WHERE rendered_at IS NOT NULL")"
echo "monthly-report: $COMPANIES companies, exit $code, $made company reports rendered (PDF + CSV)"
python3 -c "w=$wall; print(f'  wall {w:.1f} s   reports/s {$made/w:.0f}   peak RSS $rss MiB   (target for the whole issue-16 run: <= 30 s, <= 150 MB)')"
