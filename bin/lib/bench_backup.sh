# Sourced by bin/bench backup (BIN, DB, psql_bench and the env set). About SIZE_MB (default 1000)
# of data in a few tables of different shapes, then: bare `pg_dump -Fc`, `backup` (default
# verification: pg_restore --list against the source's tables + SHA-256), `backup --jobs 2`
# (directory format); ROUNDS (default 2) rounds, alternating, so cache warmth favours neither.
SIZE_MB="${2:-1000}"; ROUNDS="${3:-2}"
ROWS=$(( SIZE_MB * 1000000 / 120 ))
log "generating about $SIZE_MB MB ($ROWS order rows + lines + 40 small tables)"
psql_bench <<SQL
CREATE TABLE bench_order (id bigint PRIMARY KEY, customer int NOT NULL, placed_at timestamptz NOT NULL,
                          amount_yen bigint NOT NULL, note text NOT NULL);
INSERT INTO bench_order
SELECT g, g % 50000, timestamptz '2026-01-01' + g * interval '1 second', (g * 37) % 100000,
       md5(g::text) || ' ' || repeat(chr(65 + g % 26), g % 20)
  FROM generate_series(1, $ROWS / 2) g;
CREATE TABLE bench_line (order_id bigint NOT NULL, line int NOT NULL, sku text NOT NULL, qty int NOT NULL,
                         price_yen bigint NOT NULL, PRIMARY KEY (order_id, line));
INSERT INTO bench_line SELECT o, l, 'SKU-' || ((o * l) % 9973), 1 + (o + l) % 5, (o * l * 13) % 20000
  FROM generate_series(1, $ROWS / 4) o, generate_series(1, 2) l;
DO \$\$ BEGIN FOR i IN 1..40 LOOP
  EXECUTE format('CREATE TABLE bench_small_%s AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 1000) g', i);
END LOOP; END \$\$;
SQL
psql_bench -c "VACUUM ANALYZE"
size="$(psql_bench -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
out="$VAR/bench-backups"
rm -rf "$out"; mkdir -p "$out"
export BACKUP_DIR="$out" BACKUP_RETENTION_DAYS=36500 BACKUP_KEEP_COUNT=1000
PG_DUMP="$(command -v pg_dump)"

bare=(); made=(); parallel=(); rss=()
minute=0
for round in $(seq "$ROUNDS"); do
    log "round $round: bare pg_dump -Fc"
    read -r w _ code _ < <(python3 "$ROOT/bin/lib/measure.py" "$PG_DUMP" -Fc -f "$out/bare.dump" "$DATABASE_URL")
    [ "$code" = 0 ] || { log "pg_dump exited $code"; exit 1; }
    bare+=("$w"); bare_size="$(stat -c %s "$out/bare.dump")"; rm -f "$out/bare.dump"
    log "round $round: backup"
    minute=$((minute + 1))
    read -r w r code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/backup" --now "2026-11-23T01:$(printf %02d $minute):00Z")
    [ "$code" = 0 ] || { log "backup exited $code"; exit 1; }
    made+=("$w"); rss+=("$r")
    backup_size="$(stat -c %s "$out"/backup_*"$(printf %02d $minute)"00Z.dump)"
    log "round $round: backup --jobs 2"
    minute=$((minute + 1))
    read -r w _ code _ < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/backup" --jobs 2 --now "2026-11-23T01:$(printf %02d $minute):00Z")
    [ "$code" = 0 ] || { log "backup --jobs 2 exited $code"; exit 1; }
    parallel+=("$w")
    rm -rf "$out"/backup_*
done

python3 - "${bare[*]}" "${made[*]}" "${parallel[*]}" "${rss[*]}" "$size" "$bare_size" "$backup_size" <<'PY'
import sys, statistics
bare, made, par, rss = ([float(v) for v in a.split()] for a in sys.argv[1:5])
size, bare_size, backup_size = sys.argv[5], int(sys.argv[6]), int(sys.argv[7])
print(f"backup: database {size}; custom-format dump {bare_size / 2**20:.0f} MiB (backup's {backup_size / 2**20:.0f} MiB)")
mb, mm, mp = statistics.median(bare), statistics.median(made), statistics.median(par)
fmt = lambda xs: ", ".join(f"{x:.1f}" for x in xs)
print(f"  bare pg_dump -Fc      median {mb:6.1f} s   ({fmt(bare)})")
print(f"  backup                median {mm:6.1f} s   ({fmt(made)})   ratio {mm / mb:.2f} (target <= 1.15)")
print(f"  backup --jobs 2       median {mp:6.1f} s   ({fmt(par)})   ratio {mp / mb:.2f}")
print(f"  peak RSS of the largest process of a backup run (pg_dump included): {max(rss):.0f} MiB")
PY
