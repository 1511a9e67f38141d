# Sourced by bin/bench maintenance (BIN, DB, psql_bench and the env set). An installation from
# before the partitioning (migrations 1–9 applied as `nightshift migrate` would) with DAYS (30)
# days × CASTS (2,000) casts × 48 slots of samples (2.88 M rows); then timed: the in-place
# conversion (`nightshift migrate`: migration 0010), a full `maintenance` run, and — a year and
# more later, every day computed by rate-calc — archiving and dropping that month against a plain
# DELETE of the same rows from an indexed copy.
DAYS="${2:-30}"; CASTS="${3:-2000}"
psql_bench -c "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
for file in $(ls "$ROOT"/Sources/*/Migrations/*.sql | awk -F/ '{print $NF"\t"$0}' | sort | cut -f2); do
    name="$(basename "$file" .sql)"; version=$((10#${name%%_*}))
    [ "$version" -le 9 ] || continue
    { echo "BEGIN;"; cat "$file"; echo "; INSERT INTO schema_migrations (version, name) VALUES ($version, '$name'); COMMIT;"; } \
        | psql_bench -v ON_ERROR_STOP=1 -q >/dev/null
done
source "$ROOT/bin/lib/bench_samples.sh"
round_the_clock_samples "$DAYS" "$CASTS" "2026-10-01 00:00+00"
psql_bench -c "VACUUM ANALYZE" >/dev/null
rows="$(psql_bench -c 'SELECT count(*) FROM status')"

read -r convert_s _ convert_code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/nightshift" migrate)
export MAINTENANCE_ARCHIVE_DIR="$VAR/bench-archive" MAINTENANCE_HEALTH_SKIP=backup_age
rm -rf "$MAINTENANCE_ARCHIVE_DIR"
read -r full_s full_rss full_code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/maintenance" --now 2026-11-01T04:00)

log "rate-calc for the month (so that it may go), and an indexed copy of it for the DELETE"
# Business days are Tokyo dates: the UTC month's first hours belong to 30 September's.
"$BIN/rate-calc" --from 2026-09-30 --to "$(date -d "2026-10-01 + $DAYS days" +%F)" --now 2026-12-01T12:00
psql_bench >/dev/null <<SQL
CREATE TABLE status_copy AS SELECT * FROM status_p2026_10;
ALTER TABLE status_copy ADD PRIMARY KEY (id, slot), ADD UNIQUE (cast_id, slot);
CREATE INDEX ON status_copy (business_id, slot);
VACUUM ANALYZE status_copy;
SQL
start=$(date +%s.%N)
psql_bench -c "DELETE FROM status_copy WHERE slot >= '2026-10-01 00:00+00' AND slot < '2026-11-01 00:00+00'" >/dev/null
delete_s=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
psql_bench -c "DROP TABLE status_copy" >/dev/null
read -r drop_s drop_rss drop_code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/maintenance" --now 2027-12-06T04:00)
dropped="$(psql_bench -c "SELECT string_agg(table_name || ' ' || rows || ' rows, ' || pg_size_pretty(bytes), '; ') FROM partition_archive")"

echo "maintenance: $rows samples ($DAYS days x $CASTS casts x 48 slots)"
echo "  in-place conversion (nightshift migrate, 0010):  ${convert_s} s  (exit $convert_code)"
echo "  a full maintenance run:                           ${full_s} s  peak RSS ${full_rss} MiB  (exit $full_code)"
echo "  archive (pg_dump -t, verify) and drop the month:  ${drop_s} s  peak RSS ${drop_rss} MiB  (exit $drop_code): $dropped"
echo "  plain DELETE of the same rows (indexed copy):     ${delete_s} s"
