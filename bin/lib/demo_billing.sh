# Sourced by bin/demo (BIN, VAR, psql_demo and the env set): October 2026 of activity for three
# companies → usage-aggregate → invoice --send to the local SMTP sink → what was billed and mailed.
rm -f "$MAILDIR"/*
rm -rf "$OUTPUT_DIR"

log "billing: October 2026 of activity for three companies"
psql_demo <<'SQL'
INSERT INTO contract_plan (id, name, base_price_yen, included_users, price_per_user_yen, included_engineers, price_per_engineer_yen) VALUES
  (1, 'Light', 30000, 5, 1200, 2, 4000), (2, 'Standard', 50000, 10, 1000, 5, 3000), (3, 'Pro', 120000, 30, 800, 15, 2500);
INSERT INTO company (id, name, billing_email, postal_code, address, created_at) VALUES
  (1, '株式会社サンプル商事', 'keiri@sample-shoji.example', '100-0005', '東京都千代田区丸の内1-1-1', '2025-04-01'),
  (2, '合同会社テック工房', 'billing@tech-kobo.example', '530-0001', '大阪府大阪市北区梅田2-2-2', '2025-04-01'),
  (3, '有限会社ミドリ', 'office@midori.example', '460-0008', '愛知県名古屋市中区栄3-3-3', '2026-10-10');
INSERT INTO contract (company_id, plan_id, starts_on) VALUES (1, 2, '2025-04-01'), (2, 1, '2025-04-01'), (3, 3, '2026-10-16');
-- Users: Sample Shoji has 10, and 2 more from 15 October; Tech Kobo 4; Midori 33 from the 16th.
INSERT INTO app_user (company_id, email, created_at)
SELECT c, 'user' || g || '@c' || c || '.example', at FROM (VALUES
  (1, 10, timestamptz '2025-04-01 09:00+09'), (1, 2, '2026-10-15 10:00+09'), (2, 4, '2025-04-01 09:00+09'), (3, 33, '2026-10-16 09:00+09')) v(c, n, at),
  generate_series(1, n) g;
-- Engineers: Sample Shoji 6 (one over), Tech Kobo 2, Midori 15 (one inactive).
INSERT INTO engineer (company_id, name, status, created_at)
SELECT c, 'エンジニア' || g, CASE WHEN c = 3 AND g = 15 THEN 'inactive' ELSE 'active' END, at FROM (VALUES
  (1, 6, timestamptz '2025-04-01'), (2, 2, '2025-04-01'), (3, 15, '2026-10-16 09:00+09')) v(c, n, at), generate_series(1, n) g;
-- Each user logs in every weekday and makes some approaches; a few API calls and emails.
INSERT INTO activity_event (company_id, user_id, kind, occurred_at)
SELECT u.company_id, u.id, k.kind, d + time '10:00' + (u.id % 7) * interval '1 hour' + k.n * interval '1 minute'
  FROM app_user u,
       generate_series(timestamp '2026-10-01', timestamp '2026-10-31', interval '1 day') d,
       (VALUES ('login', 0), ('approach', 1), ('approach', 2), ('email_sent', 3), ('api_call', 4)) k(kind, n)
 WHERE extract(isodow FROM d) < 6 AND (d + time '10:00') AT TIME ZONE 'Asia/Tokyo' >= u.created_at;
INSERT INTO stored_file (company_id, name, size_bytes, created_at)
SELECT c, 'file' || g || '.pdf', 3 * 1024 * 1024, '2026-10-01 12:00+09' FROM (VALUES (1, 40), (2, 5), (3, 120)) v(c, n), generate_series(1, n) g;
SQL

log "usage-aggregate --from 2026-10-01 --to 2026-10-31"
"$BIN/usage-aggregate" --from 2026-10-01 --to 2026-10-31 --now 2026-11-01T03:00
echo "Usage in October (usage_log: highest daily totals, sums of activity):"
psql_demo -F ' | ' -c "
SELECT coalesce(c.name, '(system)') AS company, count(*) AS days, max(u.total_users) AS max_users, max(u.total_engineers) AS max_engineers,
       sum(u.logins) AS logins, sum(u.approaches) AS approaches, sum(u.api_calls) AS api_calls, max(u.storage_mb) AS storage_mb
  FROM usage_log u LEFT JOIN company c ON c.id = u.company_id
 WHERE u.usage_date BETWEEN '2026-10-01' AND '2026-10-31' GROUP BY c.id, c.name ORDER BY c.id NULLS LAST" | sed 's/^/  /'
echo

log "invoice --send (the run cron starts at 06:00 on the 1st)"
"$BIN/invoice" --send --now 2026-11-01T06:00
echo "Invoices for October 2026 (integer yen; tax = floor(subtotal × 10%)):"
psql_demo -F ' | ' -c "
SELECT i.invoice_number, i.recipient_name, i.period_start || '..' || i.period_end AS period, i.subtotal_yen, i.tax_yen, i.total_yen,
       d.status AS mail, to_char(d.sent_at AT TIME ZONE 'Asia/Tokyo', 'MM-DD HH24:MI') AS sent
  FROM invoice i LEFT JOIN mail_outbox d ON d.about = 'invoice:' || i.id ORDER BY i.id" | sed 's/^/  /'
echo "Lines:"
psql_demo -F ' | ' -c "
SELECT i.invoice_number, l.description, l.quantity, l.unit_price_yen, l.amount_yen
  FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id ORDER BY i.id, l.line_no" | sed 's/^/  /'
echo
echo "Mail received by the local SMTP sink ($MAILDIR):"
/usr/bin/python3 - "$MAILDIR" <<'PY'
import glob, json, sys
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    m = json.load(open(path))
    a = m["attachments"][0]
    print(f"  to {m['rcpt_tos'][0]}: {m['subject']}\n    attached {a['filename']} ({a['size']:,} bytes), {m['message_id']}")
PY
echo
echo "The PDFs (A4, IPAex Gothic embedded, read back by poppler before they took their names):"
psql_demo -c "SELECT pdf_path FROM invoice ORDER BY id" | sed 's/^/  /'
first="$(psql_demo -c "SELECT pdf_path FROM invoice ORDER BY id LIMIT 1")"
echo "pdftotext of the first:"
pdftotext -layout "$first" - | sed '/^\s*$/d; s/^/  | /'
echo
log "a rerun sends nothing twice: invoice --send again, then invoice send"
"$BIN/invoice" --send --now 2026-11-01T07:00
"$BIN/invoice" send
echo "  messages in the sink: $(ls "$MAILDIR"/*.json | wc -l)"
echo

log "monthly-report --send (the run cron will start at 07:00 on the 2nd): each company's October usage"
"$BIN/monthly-report" --send --now 2026-11-02T07:00
echo "Reports (PDF with charts, CSV beside it), mailed to each billing address:"
psql_demo -F ' | ' -c "
SELECT r.figures->>'companyName' AS company, r.figures->'usage'->'current'->>'usersMax' AS max_users,
       r.figures->'usage'->'current'->>'approaches' AS approaches, r.pdf_path, o.status AS mail
  FROM report r LEFT JOIN mail_outbox o ON o.about = 'report:company:' || r.subject_id || ':2026-10'
 WHERE r.kind = 'company' ORDER BY r.subject_id" | sed 's/^/  /'
echo "The operator's report: $(psql_demo -c "SELECT pdf_path FROM report WHERE kind = 'operator' AND month = '2026-10-01'")"
echo "  messages in the sink: $(ls "$MAILDIR"/*.json | wc -l)"
echo

log "monthly-report --kind business --month 2026-11 --send: the working-rate reports of the collected businesses"
psql_demo -c "UPDATE business SET report_email = 'owner@aurora.example' WHERE name LIKE 'Club Aurora%'" >/dev/null
"$BIN/monthly-report" --kind business --month 2026-11 --send --now 2026-12-02T07:00
psql_demo -F ' | ' -c "
SELECT r.subject_id AS business, r.figures->>'businessName' AS name, r.figures->'rates'->'current'->>'days' AS days,
       r.figures->'rates'->'current'->>'busySamples' || '/' || (r.figures->'rates'->'current'->>'onShiftSamples') AS busy_of_on_shift,
       r.pdf_path, coalesce(o.recipient || ' ' || o.status, 'no report address: filed only') AS mail
  FROM report r LEFT JOIN mail_outbox o ON o.about = 'report:business:' || r.subject_id || ':2026-11'
 WHERE r.kind = 'business' ORDER BY r.subject_id" | sed 's/^/  /'
echo
