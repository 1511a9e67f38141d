# Sourced by bin/bench rate-calc (BIN, DB, psql_bench and the env set). Businesses of 50 casts,
# open around the clock (00:00–00:00 = 48 slots a day), every cast sampled in every slot.
DAYS="${2:-30}"; CASTS="${3:-2000}"
BUSINESSES=$(( (CASTS + 49) / 50 ))
source "$ROOT/bin/lib/bench_samples.sh"
round_the_clock_samples "$DAYS" "$CASTS" "2026-10-01 00:00+09"
# Set hint bits and statistics once, so neither timed run pays for the freshly loaded data.
psql_bench -c "VACUUM ANALYZE"
rows="$(psql_bench -c 'SELECT count(*) FROM status')"
day_after() { python3 -c "import datetime as d; print((d.date(2026,10,1)+d.timedelta($1)).isoformat() + 'T12:00+09:00')"; }
days_list="{$(python3 -c "import datetime as d; print(','.join(str(d.date(2026,10,1)+d.timedelta(i)) for i in range($DAYS)))")}"

# (b) the bare aggregation SQL, by psql, the same statements rate-calc runs, one transaction per business.
# Literal values, as rate-calc's unnamed statements get custom plans (PREPARE would switch to a
# generic plan after five executions and measure something else).
python3 - "$ROOT/Sources/WorkingRates/SQL" "$BUSINESSES" "$days_list" > "$VAR/bench-aggregate.sql" <<'PY'
import re, sys
sql_dir, businesses, days = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def body(name):
    return "\n".join(l for l in open(f"{sql_dir}/{name}.sql").read().splitlines() if not l.startswith("--"))
history, daily = body("cast_history"), body("business_daily")
print("INSERT INTO batch_runs (job, host, pid, status) VALUES ('bench-sql', 'bench', 0, 'succeeded');")
for b in range(1, businesses + 1):
    values = {"1": str(b), "2": f"'{days}'", "3": "2", "4": "30"}
    bind = lambda text: re.sub(r"\$(\d)", lambda m: values[m.group(1)], text)
    print(f"BEGIN;\n{bind(history)};\n{bind(daily)};\nCOMMIT;")
PY
start=$(date +%s.%N)
psql_bench -f "$VAR/bench-aggregate.sql" >/dev/null
sql_s=$(python3 -c "import time; print(f'{time.time() - $start:.3f}')")
psql_bench -c "TRUNCATE status_history, business_daily" -c "VACUUM ANALYZE status_history, business_daily"

# (a) rate-calc from nothing: catch-up computes every day.
read -r calc_s rss code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/rate-calc" --now "$(day_after $((DAYS + 1)))")
history_rows="$(psql_bench -c 'SELECT count(*) FROM status_history')"

# One incremental day: day DAYS+1's samples arrive, rate-calc computes just that day.
next="2026-10-01 00:00+09'::timestamptz + interval '$DAYS days"
psql_bench <<SQL
INSERT INTO status_collection (business_id, run_id, slot, collected_at, ok, casts_seen)
SELECT b, 1, s, s, true, 50 FROM generate_series(1, $BUSINESSES) b,
       generate_series(timestamptz '$next', timestamptz '$next' + interval '1 day' - interval '30 min', interval '30 min') s;
INSERT INTO status (cast_id, business_id, slot, status, raw_status)
SELECT c.id, c.business_id, sc.slot, 'busy', 'x' FROM "cast" c
  JOIN status_collection sc ON sc.business_id = c.business_id AND sc.slot >= timestamptz '$next';
SQL
psql_bench -c "VACUUM ANALYZE status, status_collection"
read -r day_s day_rss day_code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/rate-calc" --now "$(day_after $((DAYS + 2)))")

echo "rate-calc: $DAYS days x $CASTS casts x 48 slots = $rows status rows ($BUSINESSES businesses)"
python3 - "$calc_s" "$sql_s" "$rss" "$code" "$history_rows" "$day_s" "$day_rss" "$day_code" <<'PY'
import sys
calc, sql, rss, code, hist, day, day_rss, day_code = sys.argv[1:]
print(f"  (a) rate-calc, all days from nothing: {float(calc):.2f} s (exit {code}, {hist} history rows), peak RSS {rss} MiB")
print(f"  (b) bare aggregation SQL via psql:    {float(sql):.2f} s")
print(f"  (a)/(b) = {float(calc) / float(sql):.2f}")
print(f"  one incremental day: {float(day):.2f} s (exit {day_code}), peak RSS {day_rss} MiB")
PY
