#!/usr/bin/env bash
# Smoke test of every executable as a separate process, against the PostgreSQL and web server
# that bin/test started. Usage: smoke.sh BIN_DIR
set -euo pipefail
source "$(dirname "$0")/env.sh"
BIN="$(cd "$1" && pwd -P)"
SMOKE_DB="smoke_$$"
failures=0
pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }

# expect CODE DESCRIPTION -- COMMAND...: runs it, checks the exit code, keeps stdout/stderr in $OUT/$ERR.
expect() {
    local want="$1" what="$2"; shift 3
    set +e
    OUT="$("$@" 2>"$VAR/smoke.err")"; local got=$?
    set -e
    ERR="$(cat "$VAR/smoke.err")"
    if [ "$got" = "$want" ]; then pass "$what (exit $got)"; else fail "$what: exit $got, expected $want; stderr: $ERR"; fi
}

as_postgres "$PG_BIN/createdb" -h "$PGSOCK" -p "$PGPORT" -U postgres "$SMOKE_DB"
drop_smoke_dbs() {
    for db in "$SMOKE_DB" "${SMOKE_DB}_restored"; do
        as_postgres "$PG_BIN/dropdb" -h "$PGSOCK" -p "$PGPORT" -U postgres --force --if-exists "$db" >/dev/null 2>&1 || true
    done
}
trap drop_smoke_dbs EXIT
export DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/$SMOKE_DB"
export LOG_DIR="$VAR/smoke-logs"
export STATUS_COLLECTION_PER_HOST_DELAY_MS=0
rm -rf "$LOG_DIR"

for exe in status-collect rate-calc backup usage-aggregate invoice monthly-report maintenance notify engineer-status approach-delivery nightshift; do
    expect 0 "$exe --help" -- "$BIN/$exe" --help
    grep -q "USAGE" <<<"$OUT" || fail "$exe --help shows no usage"
    expect 64 "$exe with an unknown option" -- "$BIN/$exe" --no-such-option
done

expect 78 "status-collect without DATABASE_URL" -- env -u DATABASE_URL "$BIN/status-collect"
grep -q "DATABASE_URL" <<<"$ERR" || fail "the config error names DATABASE_URL"
expect 78 "status-collect with a bad interval" -- env STATUS_COLLECTION_INTERVAL=abc "$BIN/status-collect"
expect 78 "nightshift migrate with a bad log level" -- env LOG_LEVEL=chatty "$BIN/nightshift" migrate
expect 75 "status-collect with the database down" -- env DATABASE_URL="postgresql://u:Sekrit123@127.0.0.1:1/x" \
    DATABASE_RETRY_MAX_ATTEMPTS=2 DATABASE_RETRY_BASE_DELAY_MS=10 "$BIN/status-collect"
grep -q "Sekrit123" <<<"$ERR$OUT" && fail "the password leaked into the output"

expect 2 "nightshift check before migrating" -- "$BIN/nightshift" check
# Two at once: each must succeed (the background one is waited for and checked too).
"$BIN/nightshift" migrate & background=$!
"$BIN/nightshift" migrate; foreground=$?
wait "$background"; background=$?
[ "$foreground" = 0 ] && [ "$background" = 0 ] && pass "two migrations at once" ||
    fail "two migrations at once: exits $foreground and $background"
expect 0 "nightshift migrate again (nothing to do, quiet)" -- "$BIN/nightshift" migrate
[ -z "$OUT$ERR" ] || fail "migrate printed output under cron: $OUT$ERR"
expect 0 "nightshift check" -- "$BIN/nightshift" check
grep -q "ok    schema: current" <<<"$OUT" || fail "check reports the schema: $OUT"

mkdir -p "$WWW/smoke"
python3 - "$WWW/smoke" <<'PY'
import sys
root = sys.argv[1]
items = "".join('<div class="cast-box" id="cast_%d"><h3 class="cast-name">c%d</h3><span class="cast-state">%s</span></div>' % (i, i, s)
                for i, s in [(1, "即ご案内OK"), (2, "接客中"), (3, "お休み")])
open(root + "/ok.html", "w").write('<html><body><div id="cast-list">%s</div></body></html>' % items)
PY
psql_smoke() { psql_on "$SMOKE_DB" -c "$1"; }
psql_smoke "INSERT INTO business (name, site, listing_url, open_time, close_time) VALUES
    ('Smoke OK', 'dto', 'http://127.0.0.1:$HTTP_PORT/smoke/ok.html', '18:00', '05:00'),
    ('Smoke 404', 'dto', 'http://127.0.0.1:$HTTP_PORT/smoke/missing.html', '18:00', '05:00')"

expect 1 "status-collect --dry-run (one business fails)" -- "$BIN/status-collect" --dry-run --now 2026-11-23T21:00
grep -q "c2	busy	接客中" <<<"$OUT" || fail "dry run prints the casts: $OUT"
[ "$(psql_smoke 'SELECT count(*) FROM status')" = 0 ] || fail "dry run wrote statuses"
expect 0 "status-collect outside opening hours (quiet)" -- "$BIN/status-collect" --now 2026-11-23T12:00
[ -z "$OUT$ERR" ] || fail "a successful run printed output: $OUT$ERR"
expect 1 "status-collect with one failing business" -- "$BIN/status-collect" --now 2026-11-23T21:00
grep -q "HTTP 404" <<<"$ERR" || fail "the failure summary names the error: $ERR"
[ "$(psql_smoke 'SELECT count(*) FROM status')" = 3 ] || fail "three statuses stored"
expect 0 "status-collect --business-id (quiet)" -- "$BIN/status-collect" --now 2026-11-23T21:30 --business-id 1
[ -z "$OUT$ERR" ] || fail "a successful run printed output: $OUT$ERR"

expect 0 "nightshift runs --json" -- "$BIN/nightshift" runs --json
python3 -c 'import json,sys; rows=json.load(sys.stdin); assert [r["status"] for r in rows] == ["succeeded", "partial", "succeeded"], rows' <<<"$OUT" \
    || fail "runs --json lists the three runs"

expect 78 "rate-calc with a bad look-back" -- env RATE_CALC_LOOKBACK_DAYS=0 "$BIN/rate-calc"
expect 64 "rate-calc with a bad date" -- "$BIN/rate-calc" --date 23/11/2026
expect 75 "rate-calc with the database down" -- env DATABASE_URL="postgresql://u@127.0.0.1:1/x" \
    DATABASE_RETRY_MAX_ATTEMPTS=2 DATABASE_RETRY_BASE_DELAY_MS=10 "$BIN/rate-calc"
expect 0 "rate-calc --dry-run" -- "$BIN/rate-calc" --dry-run --now 2026-11-24T08:00
grep -q "2026-11-23" <<<"$OUT" || fail "dry run prints the day: $OUT"
[ "$(psql_smoke 'SELECT count(*) FROM business_daily')" = 0 ] || fail "rate-calc dry run wrote rows"
expect 0 "rate-calc (quiet)" -- "$BIN/rate-calc" --now 2026-11-24T08:00
[ -z "$OUT$ERR" ] || fail "a successful rate-calc printed output: $OUT$ERR"
[ "$(psql_smoke "SELECT ok_slots || '/' || expected_slots FROM business_daily WHERE business_id = 1 AND business_day = '2026-11-23'")" = "2/22" ] \
    || fail "rate-calc stored the day of business 1"
expect 0 "rate-calc summary --json" -- "$BIN/rate-calc" summary --business-id 1 --days 7 --json --now 2026-11-24T08:00
python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["current"]["days_covered"] == 1 and r["top_casts"][0]["working_rate"] == 1, r' <<<"$OUT" \
    || fail "summary --json: $OUT"
expect 0 "rate-calc summary --csv" -- "$BIN/rate-calc" summary --business-id 1 --csv --now 2026-11-24T08:00
grep -q "^metric,current,previous,change" <<<"$OUT" || fail "summary --csv: $OUT"
expect 64 "rate-calc summary of a business that does not exist" -- "$BIN/rate-calc" summary --business-id 99
grep -q "no such business (known: " <<<"$ERR" || fail "the error lists the businesses: $ERR"
expect 64 "nightshift runs with an unknown status" -- "$BIN/nightshift" runs --status bogus
expect 64 "nightshift failures with a negative limit" -- "$BIN/nightshift" failures --limit -3
expect 0 "nightshift runs --status partial" -- "$BIN/nightshift" runs --status partial
grep -q "partial" <<<"$OUT" || fail "runs filters by status"
expect 0 "nightshift failures" -- "$BIN/nightshift" failures --json
python3 -c 'import json,sys; rows=json.load(sys.stdin); assert len(rows) == 1 and rows[0]["item_key"] == "business:2", rows' <<<"$OUT" \
    || fail "failures lists the open item"
expect 0 "nightshift crontab" -- "$BIN/nightshift" crontab
grep -q "^NIGHTSHIFT_BIN=$BIN\$" <<<"$OUT" || fail "crontab names this install's binaries: $OUT"
export BACKUP_DIR="$VAR/smoke-backups"
rm -rf "$BACKUP_DIR"
expect 78 "backup with a missing pg_dump" -- env BACKUP_PG_DUMP=/nonexistent/pg_dump "$BIN/backup"
grep -q "backup.pg_dump" <<<"$ERR" || fail "the config error names backup.pg_dump: $ERR"
expect 78 "backup with a bad retention" -- env BACKUP_RETENTION_DAYS=-1 "$BIN/backup"
expect 0 "backup --dry-run" -- "$BIN/backup" --dry-run --now 2026-11-24T01:00:00Z
grep -q "^would create $BACKUP_DIR/backup_${SMOKE_DB}_20261124T010000Z.dump" <<<"$OUT" || fail "dry run names the file: $OUT"
[ ! -e "$BACKUP_DIR" ] || ! ls "$BACKUP_DIR"/backup_* >/dev/null 2>&1 || fail "dry run wrote a backup"
expect 0 "backup (quiet)" -- "$BIN/backup" --now 2026-11-24T01:00:00Z
[ -z "$OUT$ERR" ] || fail "a successful backup printed output: $OUT$ERR"
dump="$BACKUP_DIR/backup_${SMOKE_DB}_20261124T010000Z.dump"
[ "$(stat -c %a "$dump")" = 600 ] || fail "the backup is mode 0600"
expect 0 "backup --verify-restore" -- "$BIN/backup" --verify-restore --now 2026-11-24T01:01:00Z
expect 0 "backup list --json" -- "$BIN/backup" list --json
python3 -c 'import json,sys; rows=json.load(sys.stdin); assert len(rows) == 2 and rows[0]["verification"] == "restore", rows' <<<"$OUT" \
    || fail "list --json shows both backups: $OUT"
expect 0 "backup list" -- "$BIN/backup" list
grep -q "backup_${SMOKE_DB}_20261124T010000Z.dump" <<<"$OUT" || fail "list shows the backup: $OUT"
expect 0 "backup verify --latest --restore" -- "$BIN/backup" verify --latest --restore
expect 0 "backup restore into a new database" -- "$BIN/backup" restore "$dump" --into "${SMOKE_DB}_restored"
[ "$(psql_on "${SMOKE_DB}_restored" -c 'SELECT count(*) FROM status')" = "$(psql_smoke 'SELECT count(*) FROM status')" ] \
    || fail "the restore holds the statuses"
expect 64 "backup restore into a non-empty database without --force" -- "$BIN/backup" restore "$dump" --into "${SMOKE_DB}_restored"
as_postgres "$PG_BIN/dropdb" -h "$PGSOCK" -p "$PGPORT" -U postgres --force "${SMOKE_DB}_restored"
printf 'X' | dd of="$dump" bs=1 seek=100 conv=notrunc status=none
expect 2 "backup verify of a corrupted backup" -- "$BIN/backup" verify "$dump"
grep -q "SHA-256" <<<"$OUT$ERR" || fail "verify says why: $OUT$ERR"

expect 64 "usage-aggregate with a bad date" -- "$BIN/usage-aggregate" --date 2026-02-30
expect 78 "usage-aggregate with a bad look-back" -- env USAGE_AGGREGATE_LOOKBACK_DAYS=x "$BIN/usage-aggregate"
psql_smoke "INSERT INTO company (name, billing_email, created_at) VALUES ('Smoke KK', 'billing@smoke.example', '2026-11-01 00:00+09');
    INSERT INTO app_user (company_id, email, created_at) SELECT 1, 'u' || g, '2026-11-01 00:00+09' FROM generate_series(1, 4) g;
    INSERT INTO activity_event (company_id, user_id, kind, occurred_at) VALUES (1, 1, 'login', '2026-11-20 09:00+09')"
expect 0 "usage-aggregate --dry-run" -- "$BIN/usage-aggregate" --dry-run --date 2026-11-20 --now 2026-11-23T03:00
grep -q "^1	2026-11-20	4	1	" <<<"$OUT" || fail "dry run prints the company's day: $OUT"
expect 0 "usage-aggregate (quiet)" -- "$BIN/usage-aggregate" --now 2026-11-23T03:00
[ -z "$OUT$ERR" ] || fail "a successful usage-aggregate printed output: $OUT$ERR"
[ "$(psql_smoke "SELECT count(*) || '/' || sum(total_users) FROM usage_log WHERE company_id = 1")" = "22/88" ] \
    || fail "usage-aggregate stored 22 days (11-01 … 11-22) of 4 users"

export OUTPUT_DIR="$VAR/smoke-output"
rm -rf "$OUTPUT_DIR"
export INVOICE_ISSUER_NAME="株式会社スモーク" INVOICE_ISSUER_ADDRESS="東京都千代田区1-1" INVOICE_ISSUER_REGISTRATION_NUMBER=T9234567890123
expect 78 "invoice with a malformed registration number" -- env INVOICE_ISSUER_REGISTRATION_NUMBER=1234567890123 "$BIN/invoice"
grep -q "invoice.issuer.registration_number" <<<"$ERR" || fail "the config error names the key: $ERR"
expect 64 "invoice with a bad month" -- "$BIN/invoice" --month 2026-13
psql_smoke "INSERT INTO contract_plan (name, base_price_yen, included_users, price_per_user_yen, included_engineers, price_per_engineer_yen)
      VALUES ('Smoke', 30000, 3, 1500, 0, 0);
    INSERT INTO contract (company_id, plan_id, starts_on) VALUES (1, 1, '2026-11-01')"
expect 1 "invoice --dry-run with usage missing for 11-23 … 11-30" -- "$BIN/invoice" --dry-run --month 2026-11 --now 2026-12-01T06:00
grep -q "usage_log has 22 of the 30 days" <<<"$ERR" || fail "the dry run says why: $ERR"
expect 2 "invoice with usage missing (its only contract fails)" -- "$BIN/invoice" --month 2026-11 --now 2026-12-01T06:00
grep -q "usage_log has 22 of the 30 days" <<<"$ERR" || fail "the summary says why: $ERR"
expect 0 "usage-aggregate catches up to 11-30" -- "$BIN/usage-aggregate" --now 2026-12-01T03:00
expect 0 "invoice --dry-run" -- "$BIN/invoice" --dry-run --month 2026-11 --now 2026-12-01T06:00
# 4 users, 3 included: ¥30,000 + ¥1,500 = ¥31,500, tax ¥3,150, total ¥34,650.
grep -q "^INV-202611-000001-000001	Smoke KK	2026-11-01..2026-11-30	31500	3150	34650$" <<<"$OUT" || fail "dry run prints the invoice: $OUT"
expect 0 "invoice (quiet)" -- "$BIN/invoice" --now 2026-12-01T06:00
[ -z "$OUT$ERR" ] || fail "a successful invoice run printed output: $OUT$ERR"
[ "$(psql_smoke "SELECT invoice_number || ' ' || total_yen FROM invoice")" = "INV-202611-000001-000001 34650" ] || fail "one invoice stored"
pdf="$OUTPUT_DIR/invoices/2026-11/INV-202611-000001-000001.pdf"
pdftotext "$pdf" - 2>/dev/null | grep -q "¥34,650" || fail "the PDF shows the total"
[ "$(stat -c %a "$pdf")" = 600 ] || fail "the PDF is mode 0600"

smtp_start
rm -f "$MAILDIR"/*
export SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" SMTP_STARTTLS=off SMTP_FROM=billing@smoke.example
expect 78 "invoice send with a bad smtp.url" -- env SMTP_URL=http://127.0.0.1 "$BIN/invoice" send
grep -q "smtp.url" <<<"$ERR" || fail "the config error names the key: $ERR"
expect 0 "invoice send --dry-run" -- "$BIN/invoice" send --dry-run
grep -q "^INV-202611-000001-000001	billing@smoke.example	<invoice.INV-202611-000001-000001@smoke.example>$" <<<"$OUT" \
    || fail "the dry run lists the unsent invoice: $OUT"
expect 0 "invoice send (quiet)" -- "$BIN/invoice" send
[ -z "$OUT$ERR" ] || fail "a successful send printed output: $OUT$ERR"
expect 0 "invoice --send again (nothing left to send)" -- "$BIN/invoice" --send --now 2026-12-01T07:00
/usr/bin/python3 - "$MAILDIR" "$pdf" <<'PY' || fail "one mail with the PDF attached"
import glob, hashlib, json, sys
mails = [json.load(open(p)) for p in sorted(glob.glob(sys.argv[1] + "/*.json"))]
assert len(mails) == 1, mails
m = mails[0]
assert m["rcpt_tos"] == ["billing@smoke.example"] and "INV-202611-000001-000001" in m["subject"], m
assert m["attachments"][0]["sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest(), m
PY
[ "$(psql_smoke "SELECT status FROM mail_outbox")" = "sent" ] || fail "the delivery is recorded as sent"

expect 64 "monthly-report for a month not over" -- "$BIN/monthly-report" --month 2026-12 --now 2026-12-02T07:00
expect 0 "monthly-report --dry-run" -- "$BIN/monthly-report" --dry-run --now 2026-12-02T07:00
grep -q "^company 1 Smoke KK: users max 4, " <<<"$OUT" || fail "the dry run shows the company's figures: $OUT"
expect 0 "monthly-report (quiet)" -- "$BIN/monthly-report" --now 2026-12-02T07:00
[ -z "$OUT$ERR" ] || fail "a successful monthly-report printed output: $OUT$ERR"
[ "$(psql_smoke "SELECT figures->'usage'->'current'->>'usersMax' FROM report WHERE kind = 'company'")" = 4 ] \
    || fail "the company's November report is stored"
pdftotext "$OUTPUT_DIR/reports/2026-11/company/1.pdf" - 2>/dev/null | grep -q "Smoke KK 御中" || fail "the report's PDF names the company"
head -c 3 "$OUTPUT_DIR/reports/2026-11/company/1.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "the report's CSV starts with a BOM"
[ "$(psql_smoke "SELECT figures->'rates'->'current'->>'okSlots' FROM report WHERE kind = 'business' AND subject_id = 1")" = 2 ] \
    || fail "the business's November working-rate report is stored"
pdftotext "$OUTPUT_DIR/reports/2026-11/business/1.pdf" - 2>/dev/null | grep -q "Smoke OK 様" || fail "the business report's PDF names the business"
expect 0 "monthly-report --send (quiet)" -- "$BIN/monthly-report" --send --now 2026-12-02T07:00
[ -z "$OUT$ERR" ] || fail "a successful monthly-report --send printed output: $OUT$ERR"
grep -l "月次利用レポート" "$MAILDIR"/*.json >/dev/null 2>&1 || fail "the company's report was mailed"

expect 78 "maintenance with a bad retention" -- env RETENTION_STATUS_MONTHS=1 "$BIN/maintenance"
grep -q "retention.status_months" <<<"$ERR" || fail "the config error names retention.status_months: $ERR"
# Three hours after the backup, at the end of November: partitions run to February.
ahead="status_p2027_02"
psql_smoke "DROP TABLE $ahead"
expect 0 "maintenance --dry-run" -- "$BIN/maintenance" --dry-run --now 2026-11-24T04:00:00Z
grep -q "^would create $ahead" <<<"$OUT" || fail "the dry run shows the partition it would create: $OUT"
expect 1 "maintenance (a health warning)" -- env MAINTENANCE_ARCHIVE_DIR="$VAR/smoke-archive" "$BIN/maintenance" --now 2026-11-24T04:00:00Z
grep -q "health job_status-collect warning" <<<"$ERR" || fail "the health report names the failing business's open dead letter: $ERR"
grep -q "backup_age" <<<"$ERR" && fail "the backup three hours before is recent: $ERR"
[ "$(psql_smoke "SELECT to_regclass('$ahead') IS NOT NULL")" = t ] || fail "maintenance created the partition three months ahead"
expect 0 "maintenance analyze (quiet)" -- "$BIN/maintenance" analyze
[ -z "$OUT$ERR" ] || fail "a successful maintenance analyze printed output: $OUT$ERR"
expect 0 "maintenance analyze --json" -- "$BIN/maintenance" analyze --json
python3 -c 'import json,sys; a=json.load(sys.stdin); assert any(j["job"] == "status-collect" for j in a["jobs"]), a' <<<"$OUT" \
    || fail "the analysis lists status-collect's week: $OUT"
psql_smoke "INSERT INTO notification (channel, recipient, template, params) VALUES
    ('email', 'engineer@smoke.example', 'message_received', '{\"name\": \"n\", \"sender\": \"s\", \"preview\": \"p\"}'),
    ('in_app', 'user:1', 'message_received', '{}'), ('fax', '03-0000-0000', 'message_received', '{}')" >/dev/null
expect 0 "notify --dry-run" -- "$BIN/notify" --dry-run
[ "$(grep -c . <<<"$OUT")" = 3 ] || fail "notify --dry-run lists the three due: $OUT"
expect 78 "notify with a bad batch size" -- env NOTIFY_BATCH_SIZE=0 "$BIN/notify"
grep -q "notify.batch_size" <<<"$ERR" || fail "the config error names the key: $ERR"
expect 1 "notify (a fax rejected, the rest delivered)" -- "$BIN/notify"
grep -q 'channel "fax" is not supported' <<<"$ERR" || fail "notify says why the fax was rejected: $ERR"
[ "$(psql_smoke "SELECT string_agg(status, ',' ORDER BY id) FROM notification")" = "delivered,delivered,rejected" ] \
    || fail "notify delivered the email and the in-app one, kept the fax as rejected"
expect 0 "notify again (nothing due, quiet)" -- "$BIN/notify"
[ -z "$OUT$ERR" ] || fail "a successful notify printed output: $OUT$ERR"
psql_smoke "INSERT INTO company (id, name, billing_email) VALUES (900, 'Smoke SES', 'ses@smoke.example');
    INSERT INTO engineer (id, company_id, name, placement) VALUES (900, 900, 'E', 'working');
    INSERT INTO project_assignment (engineer_id, project_name, start_date, planned_end_date) VALUES (900, 'P', '2026-01-01', '2026-12-31')" >/dev/null
expect 0 "engineer-status --dry-run" -- "$BIN/engineer-status" --dry-run --now 2026-12-07T02:00
grep -q "working → waiting_soon" <<<"$OUT" || fail "engineer-status --dry-run lists the change: $OUT"
expect 0 "engineer-status (quiet)" -- "$BIN/engineer-status" --now 2026-12-07T02:00
[ -z "$OUT$ERR" ] || fail "a successful engineer-status printed output: $OUT$ERR"
[ "$(psql_smoke "SELECT placement FROM engineer WHERE id = 900")" = waiting_soon ] || fail "engineer-status moved the engineer to waiting_soon"
expect 78 "engineer-status with a bad window" -- env ENGINEER_STATUS_SOON_DAYS=x "$BIN/engineer-status"
psql_smoke "UPDATE engineer SET email = 'e900@smoke.example', placement = 'waiting' WHERE id = 900;
    INSERT INTO approach (company_id, name, cadence, local_time, subject_template, body_template, created_at)
    VALUES (900, 'Smoke', 'daily', '09:00', '{{company_name}}: {{approach_name}}', '{{engineer_name}} 様', '2026-12-01T00:00+09')" >/dev/null
expect 0 "approach-delivery --dry-run" -- "$BIN/approach-delivery" --dry-run --now 2026-12-07T09:00
grep -q "1 engineer(s)" <<<"$OUT" || fail "approach-delivery --dry-run shows the engineer: $OUT"
expect 0 "approach-delivery (quiet)" -- "$BIN/approach-delivery" --now 2026-12-07T09:00
[ -z "$OUT$ERR" ] || fail "a successful approach-delivery printed output: $OUT$ERR"
[ "$(psql_smoke "SELECT count(*) FROM mail_outbox WHERE about LIKE 'approach:%' AND status = 'sent'")" = 1 ] || fail "approach-delivery mailed the engineer once"
expect 0 "approach-delivery rerun (nothing due)" -- "$BIN/approach-delivery" --now 2026-12-07T09:10
[ "$(psql_smoke "SELECT count(*) FROM mail_outbox WHERE about LIKE 'approach:%'")" = 1 ] || fail "a rerun sent nothing more"
expect 1 "nightshift health" -- "$BIN/nightshift" health
grep -q "^WARNING  job_status-collect: " <<<"$OUT" || fail "nightshift health shows the warning: $OUT"
expect 0 "nightshift watch (quiet)" -- env WATCH_SKIP=backup_age "$BIN/nightshift" watch
[ -z "$OUT$ERR" ] || fail "a watch under cron printed output: $OUT$ERR"
expect 0 "nightshift watch --verbose" -- env WATCH_SKIP=backup_age "$BIN/nightshift" watch --verbose
expect 0 "nightshift alerts" -- "$BIN/nightshift" alerts
grep -q "^id" <<<"$OUT" || fail "nightshift alerts prints its table: $OUT"
expect 64 "nightshift alerts snooze of an unknown job" -- "$BIN/nightshift" alerts snooze nosuchjob --until 2030-01-01T00:00
expect 0 "nightshift systemd" -- "$BIN/nightshift" systemd "$VAR/smoke-units"
[ -s "$VAR/smoke-units/nightshift-watch.timer" ] || fail "nightshift systemd wrote the watch's timer"
expect 0 "nightshift kubernetes" -- "$BIN/nightshift" kubernetes --image nightshift:smoke
[ "$(grep -c '^kind: CronJob$' <<<"$OUT")" = "$(grep -c '^# [a-z-]*: ' "$ROOT/crontab")" ] || fail "a CronJob per crontab entry: $OUT"

for f in batch_processing.log batch_errors.log; do [ -s "$LOG_DIR/$f" ] || fail "$f written"; done
grep -q '"level":"debug"' "$LOG_DIR/batch_processing.log" && fail "no debug line in a log kept at info"

# The scripts a person runs first: usage instead of a run, unknown arguments refused.
expect 0 "bin/demo --help" -- "$ROOT/bin/demo" --help
grep -q 'eval "$(bin/demo env)"' <<<"$OUT" || fail "demo usage names bin/demo env: $OUT"
expect 64 "bin/demo with an unknown argument" -- "$ROOT/bin/demo" --frobnicate
# Dependencies pinned exactly (an application builds what it was tested with).
grep -qE '\.package\(url: [^)]*(from|branch|revision):' "$ROOT/Package.swift" && fail "every dependency pinned with exact:"

ls "$LOG_DIR"/jobs_*.log >/dev/null 2>&1 || fail "jobs_YYYYMMDD.log written"

if [ "$failures" -gt 0 ]; then echo "smoke: $failures failed"; exit 1; fi
echo "smoke: all passed"
