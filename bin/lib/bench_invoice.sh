# Sourced by bin/bench invoice (BIN, DB, psql_bench and the env set). CONTRACTS (default 10000)
# companies with one contract each and a month (October 2026) of usage_log rows, then
# `invoice --month 2026-10` end to end: amounts, rows, PDFs, their poppler check.
CONTRACTS="${2:-10000}"
log "generating $CONTRACTS contracts with 31 days of usage"
psql_bench <<SQL
INSERT INTO batch_runs (job, host, pid, status) VALUES ('bench', 'bench', 0, 'succeeded');
INSERT INTO contract_plan (name, base_price_yen, included_users, price_per_user_yen, included_engineers, price_per_engineer_yen)
VALUES ('Light', 30000, 5, 1200, 2, 4000), ('Standard', 50000, 10, 1000, 5, 3000), ('Pro', 120000, 30, 800, 15, 2500);
INSERT INTO company (name, billing_email, postal_code, address, created_at)
SELECT '株式会社ベンチ' || i, 'billing' || i || '@bench.example', '150-0041', '東京都渋谷区神南' || i || '-1', '2026-01-01'
  FROM generate_series(1, $CONTRACTS) i;
INSERT INTO contract (company_id, plan_id, starts_on) SELECT i, 1 + i % 3, '2026-01-01' FROM generate_series(1, $CONTRACTS) i;
INSERT INTO usage_log (company_id, usage_date, total_users, active_users, total_engineers, active_engineers,
                       approaches, emails_sent, logins, api_calls, storage_mb, run_id)
SELECT c, date '2026-10-01' + d, 3 + (c * 7 + d) % 30, 2, 1 + (c + d) % 20, 1, 5, 5, 10, 100, 50, 1
  FROM generate_series(1, $CONTRACTS) c, generate_series(0, 30) d;
SQL
psql_bench -c "VACUUM ANALYZE"
export OUTPUT_DIR="$VAR/bench-output"
rm -rf "$OUTPUT_DIR"
export INVOICE_ISSUER_NAME="株式会社ナイトシフト" INVOICE_ISSUER_ADDRESS="東京都渋谷区神南1-2-3" INVOICE_ISSUER_REGISTRATION_NUMBER=T9234567890123
read -r wall rss code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/invoice" --month 2026-10 --now 2026-11-01T06:00)
made="$(psql_bench -c "SELECT count(*) FROM invoice WHERE rendered_at IS NOT NULL")"
pdfs="$(find "$OUTPUT_DIR" -name '*.pdf' | wc -l)"
size="$(du -sm "$OUTPUT_DIR" | cut -f1)"
echo "invoice: $CONTRACTS contracts, exit $code, $made invoices rendered, $pdfs PDFs ($size MB)"
python3 -c "w=$wall; print(f'  wall {w:.1f} s   invoices/s {$made/w:.0f}   peak RSS $rss MiB   (target <= 20 s, <= 150 MB)')"
