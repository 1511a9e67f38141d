# Shared by bin/setup, bin/demo, bin/test, bin/bench: where things live and how to start them.
# Everything runtime goes under ./var (ignored by git).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR="$ROOT/var"
PGDATA="$VAR/pg/data"
PGSOCK="$VAR/pg/sock"
PGPORT_FILE="$VAR/pg/port"
WWW="$VAR/www"
HTTP_PORT_FILE="$VAR/http.port"
HTTP_PID_FILE="$VAR/http.pid"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

log() { echo "[$(basename "$0")] $*" >&2; }

# Installs the Debian packages of the list that are missing (apt-get, as root or with sudo).
ensure_packages() {
    local missing=() p
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -gt 0 ] || return 0
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    log "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# psql on the throwaway server, as its superuser: psql_on DATABASE [psql arguments…]
psql_on() {
    local db="$1"; shift
    as_postgres "$PG_BIN/psql" -h "$PGSOCK" -p "$PGPORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qAt "$@"
}

# A throwaway PostgreSQL under var/pg, owned by the postgres user when we are root
# (PostgreSQL refuses to run as root). Unix socket in var/pg/sock, TCP on a free loopback port.
pg_start() {
    mkdir -p "$VAR/pg"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$VAR/pg"; chmod 700 "$VAR/pg"; fi
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        log "initialising PostgreSQL in $PGDATA"
        as_postgres "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_postgres mkdir -p "$PGSOCK"
    if as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        PGPORT="$(cat "$PGPORT_FILE")"
    else
        PGPORT="$(free_port)"
        echo "$PGPORT" > "$PGPORT_FILE"
        as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$VAR/pg/server.log" -w -t 60 \
            -o "-p $PGPORT -k $PGSOCK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    fi
    # One role must log in with a password, so tests can see bad credentials rejected.
    if ! grep -q nightshift_pw "$PGDATA/pg_hba.conf"; then
        as_postgres sh -c "{ echo 'host all nightshift_pw 127.0.0.1/32 scram-sha-256'; cat '$PGDATA/pg_hba.conf'; } > '$PGDATA/pg_hba.new' && mv '$PGDATA/pg_hba.new' '$PGDATA/pg_hba.conf'"
        as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" reload >/dev/null
    fi
    psql_on postgres -c \
        "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nightshift_pw') THEN
           CREATE ROLE nightshift_pw LOGIN PASSWORD 'right-password'; END IF; END \$\$"
    export PGPORT
    export DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/nightshift"
    export NIGHTSHIFT_TEST_ADMIN_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
    psql_on postgres -c \
        "SELECT 1 FROM pg_database WHERE datname = 'nightshift'" | grep -q 1 ||
        as_postgres "$PG_BIN/createdb" -h "$PGSOCK" -p "$PGPORT" -U postgres nightshift
}

pg_stop() {
    if [ -s "$PGDATA/PG_VERSION" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

# The fixture web server (Tests/Support/fixture_server.py) serving var/www on a free port.
http_start() {
    mkdir -p "$WWW"
    if [ -s "$HTTP_PID_FILE" ] && kill -0 "$(cat "$HTTP_PID_FILE")" 2>/dev/null; then
        HTTP_PORT="$(cat "$HTTP_PORT_FILE")"
    else
        HTTP_PORT="$(free_port)"
        echo "$HTTP_PORT" > "$HTTP_PORT_FILE"
        python3 "$ROOT/Tests/Support/fixture_server.py" --root "$WWW" --port "$HTTP_PORT" > "$VAR/http.log" 2>&1 &
        echo $! > "$HTTP_PID_FILE"
        for _ in $(seq 50); do
            curl -fsS "http://127.0.0.1:$HTTP_PORT/_health" >/dev/null 2>&1 && break
            sleep 0.1
        done
    fi
    export HTTP_PORT
    export NIGHTSHIFT_TEST_HTTP_URL="http://127.0.0.1:$HTTP_PORT"
    export NIGHTSHIFT_TEST_WWW="$WWW"
}

http_stop() {
    if [ -s "$HTTP_PID_FILE" ]; then kill "$(cat "$HTTP_PID_FILE")" 2>/dev/null || true; rm -f "$HTTP_PID_FILE"; fi
}

# The SMTP sink (Tests/Support/smtp_sink.py, Debian's python3-aiosmtpd) on a free loopback port,
# keeping each message it accepts under var/mail as NNNNNN.eml and NNNNNN.json.
SMTP_PORT_FILE="$VAR/smtp.port"
SMTP_PID_FILE="$VAR/smtp.pid"
MAILDIR="$VAR/mail"
smtp_start() {
    mkdir -p "$MAILDIR"
    if [ -s "$SMTP_PID_FILE" ] && kill -0 "$(cat "$SMTP_PID_FILE")" 2>/dev/null; then
        SMTP_PORT="$(cat "$SMTP_PORT_FILE")"
    else
        SMTP_PORT="$(free_port)"
        echo "$SMTP_PORT" > "$SMTP_PORT_FILE"
        /usr/bin/python3 "$ROOT/Tests/Support/smtp_sink.py" --dir "$MAILDIR" --port "$SMTP_PORT" > "$VAR/smtp.log" 2>&1 &
        echo $! > "$SMTP_PID_FILE"
        for _ in $(seq 50); do grep -q ready "$VAR/smtp.log" 2>/dev/null && break; sleep 0.1; done
    fi
    export SMTP_PORT
}

smtp_stop() {
    if [ -s "$SMTP_PID_FILE" ]; then kill "$(cat "$SMTP_PID_FILE")" 2>/dev/null || true; rm -f "$SMTP_PID_FILE"; fi
}

# nginx (Debian's) serving var/www on a free loopback port, for benchmarks that must measure the
# suite rather than the Python fixture server: nginx_start sets NGINX_PORT; nginx_stop ends it.
NGINX_DIR="$VAR/nginx"
nginx_start() {
    ensure_packages nginx
    mkdir -p "$NGINX_DIR" "$WWW"
    NGINX_PORT="$(free_port)"
    cat > "$NGINX_DIR/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 2;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    include /etc/nginx/mime.types;
    default_type text/html;
    client_body_temp_path $NGINX_DIR/tmp; proxy_temp_path $NGINX_DIR/tmp; fastcgi_temp_path $NGINX_DIR/tmp;
    uwsgi_temp_path $NGINX_DIR/tmp; scgi_temp_path $NGINX_DIR/tmp;
    server { listen 127.0.0.1:$NGINX_PORT; root $WWW; charset utf-8; }
}
CONF
    mkdir -p "$NGINX_DIR/tmp"
    nginx -c "$NGINX_DIR/nginx.conf" &
    for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/" 2>/dev/null && break; sleep 0.1; done
    export NGINX_PORT
}

nginx_stop() {
    if [ -s "$NGINX_DIR/nginx.pid" ]; then kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true; rm -f "$NGINX_DIR/nginx.pid"; fi
}

# Test-harness tools from PyPI in a virtualenv under var/pytools (made once per pinned set):
# kubernetes-validate (the CronJobs against the Kubernetes schemas, offline) and prometheus-client
# (its exposition-format parser reads `nightshift metrics`).
PY_TOOLS=(kubernetes-validate==1.37.0 prometheus-client==0.26.0)
py_tools() {
    local dir="$VAR/pytools" stamp="${PY_TOOLS[*]}"
    if [ "$(cat "$dir/.pinned" 2>/dev/null)" != "$stamp" ]; then
        log "installing test tools from PyPI: $stamp"
        rm -rf "$dir"
        python3 -m venv "$dir"
        "$dir/bin/pip" install -q --disable-pip-version-check "${PY_TOOLS[@]}"
        echo "$stamp" > "$dir/.pinned"
    fi
    export NIGHTSHIFT_TEST_PYTHON="$dir/bin/python"
    export NIGHTSHIFT_TEST_KUBERNETES_VALIDATE="$dir/bin/kubernetes-validate"
}
