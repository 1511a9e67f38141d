# Sourced by bin/bench notify (BIN, DB, psql_bench and the env set). NOTIFICATIONS (default
# 10000) queued email notifications drained into a local SMTP sink (smtp_sink.py, its own port
# and directory) by two `notify` processes at once, then the same number by one process alone;
# and, as the baseline of the same run, Python's smtplib sending the same number of messages to
# the same sink over one connection (what the sink itself can take).
NOTIFICATIONS="${2:-10000}"
SINK_DIR="$VAR/bench-mail"
rm -rf "$SINK_DIR" && mkdir -p "$SINK_DIR"
SINK_PORT="$(free_port)"
/usr/bin/python3 "$ROOT/Tests/Support/smtp_sink.py" --dir "$SINK_DIR" --port "$SINK_PORT" > "$VAR/bench-smtp.log" 2>&1 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true; as_postgres "$PG_BIN/dropdb" -h "$PGSOCK" -p "$PGPORT" -U postgres --force "$DB" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 50); do grep -q ready "$VAR/bench-smtp.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$VAR/bench-smtp.log" || { echo "bench: the SMTP sink did not start: $(cat "$VAR/bench-smtp.log")" >&2; exit 1; }
export SMTP_URL="smtp://127.0.0.1:$SINK_PORT" SMTP_STARTTLS=off SMTP_FROM=notice@bench.example

queue() {
    psql_bench -c "INSERT INTO notification (channel, recipient, template, params)
        SELECT 'email', 'engineer' || i || '@bench.example', 'message_received',
               jsonb_build_object('name', 'エンジニア' || i, 'sender', '株式会社ベンチ', 'preview', '面談のご相談 ' || i)
          FROM generate_series(1, $NOTIFICATIONS) i" >/dev/null
    psql_bench -c "VACUUM ANALYZE notification" >/dev/null
}
delivered() { psql_bench -c "SELECT count(*) FROM notification WHERE status = 'delivered'"; }
received() { find "$SINK_DIR" -name '*.json' | wc -l; }

log "baseline: smtplib sends $NOTIFICATIONS messages to the sink over one connection"
base_wall="$(python3 - "$SINK_PORT" "$NOTIFICATIONS" <<'PY'
import smtplib, sys, time
from email.message import EmailMessage
port, count = int(sys.argv[1]), int(sys.argv[2])
start = time.monotonic()
with smtplib.SMTP("127.0.0.1", port) as smtp:
    for i in range(count):
        m = EmailMessage()
        m["From"], m["To"], m["Subject"] = "notice@bench.example", f"base{i}@bench.example", "株式会社ベンチさんからメッセージが届きました"
        m.set_content("エンジニア 様\n\n株式会社ベンチさんから新しいメッセージが届いています。\n")
        smtp.send_message(m)
print("%.3f" % (time.monotonic() - start))
PY
)"
rm -rf "$SINK_DIR"/*

log "queueing $NOTIFICATIONS notifications; two notify processes at once"
queue
python3 "$ROOT/bin/lib/measure.py" "$BIN/notify" > "$VAR/bench-notify-a" &
A=$!
python3 "$ROOT/bin/lib/measure.py" "$BIN/notify" > "$VAR/bench-notify-b" &
B=$!
start=$(date +%s.%N)
wait $A $B
two_wall="$(python3 -c "import time; print('%.3f' % (time.time() - $start))")"
read -r _ rss_a code_a cpu_a < "$VAR/bench-notify-a"
read -r _ rss_b code_b cpu_b < "$VAR/bench-notify-b"
two_done="$(delivered)"; two_got="$(received)"
two_ids="$(cat "$SINK_DIR"/*.json | python3 -c 'import sys, json, re; ids=re.findall(r"\"message_id\": \"([^\"]+)\"", sys.stdin.read()); print(len(set(ids)))')"
split="$(psql_bench -c "SELECT string_agg(items_ok::text, ' + ' ORDER BY id) FROM batch_runs WHERE job = 'notify'")"

log "the same number again, one notify process alone"
psql_bench -c "TRUNCATE notification, notification_attempt; DELETE FROM mail_outbox" >/dev/null
rm -rf "$SINK_DIR"/*
queue
read -r one_wall rss_one code_one cpu_one < <(python3 "$ROOT/bin/lib/measure.py" "$BIN/notify")
one_done="$(delivered)"

echo "notify: $NOTIFICATIONS email notifications to a local SMTP sink"
echo "  two processes: exit $code_a/$code_b, $two_done delivered (runs: $split), $two_got received, $two_ids distinct Message-IDs"
python3 - <<PY
n = $NOTIFICATIONS
print(f"    wall {$two_wall:.1f} s   {n/$two_wall:.0f} messages/s   peak RSS {max($rss_a, $rss_b):.0f} MiB per process   CPU {$cpu_a:.1f} + {$cpu_b:.1f} s")
print(f"  one process:   exit $code_one, $one_done delivered")
print(f"    wall {$one_wall:.1f} s   {n/$one_wall:.0f} messages/s   peak RSS {$rss_one:.0f} MiB   CPU {$cpu_one:.1f} s")
print(f"  baseline (smtplib, one connection, same sink): {n/$base_wall:.0f} messages/s")
print(f"  ratios: two processes / one = {$one_wall/$two_wall:.2f}   two processes / baseline = {($base_wall)/($two_wall):.2f}")
PY
