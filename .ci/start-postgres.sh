#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the test suite.
# The ONLY line on stdout is the SQLAlchemy URL; everything else goes to stderr
# (server output goes to $PGTEST_DIR/server.log).
# Env: PGTEST_DIR (default /tmp/dashboard-pgtest), PGTEST_PORT (default 54329).
set -euo pipefail
exec 3>&1 1>&2 # fd 3 = real stdout (URL only); plain stdout now goes to stderr

DATA=$(realpath -m "${PGTEST_DIR:-/tmp/dashboard-pgtest}")
PORT="${PGTEST_PORT:-54329}"
[[ "$DATA" != / ]] || { echo "start-postgres: refusing to use / as data dir" >&2; exit 1; }

# Newest installed server binaries (Debian layout: /usr/lib/postgresql/<ver>/bin).
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$BIN" || ! -x "$BIN/initdb" || ! -x "$BIN/pg_ctl" ]]; then
  echo "start-postgres: no PostgreSQL server found under /usr/lib/postgresql/*/bin" \
       "(install the 'postgresql' package)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: use the 'postgres' OS user in that case.
if [[ $(id -u) -eq 0 ]]; then
  OWNER=postgres; AS=(runuser -u postgres --)
else
  OWNER=$(id -un); AS=()
fi
cd / # the postgres user may not be able to read the caller's cwd

# Stop a server left over from a previous run on this data dir, then start fresh.
"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
rm -rf "$DATA"
mkdir -p "$DATA"
chown "$OWNER:" "$DATA"
chmod 700 "$DATA"
"${AS[@]}" test -w "$DATA" || {
  echo "start-postgres: user '$OWNER' cannot write $DATA (check parent dir permissions)" >&2
  exit 1
}

# Superuser 'postgres', trust auth (local socket + 127.0.0.1 only), no fsync at init.
"${AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null

# Test-only settings: loopback only, private socket dir, durability off for speed.
cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

# Something else (another cluster?) already on this port: fail clearly instead of
# silently talking to it.
if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  echo "start-postgres: port $PORT is already in use; set PGTEST_PORT" >&2
  exit 1
fi

# 3>&-: the daemon must not inherit the URL pipe, or "$(start-postgres.sh)" would hang.
# -W: don't wait here; readiness is checked with pg_isready below.
"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -W start >/dev/null 3>&-

# Wait up to 30 s for the server to accept connections.
for _ in $(seq 60); do
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  echo "start-postgres: server did not become ready on 127.0.0.1:$PORT; log tail:" >&2
  tail -n 30 "$DATA/server.log" >&2 || true
  exit 1
fi

# Application role + test database (each -c runs in its own transaction).
"$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
  -c "CREATE ROLE dashboard LOGIN CREATEDB PASSWORD 'dashboard'" \
  -c "CREATE DATABASE dashboard_test OWNER dashboard" >/dev/null

echo "postgresql+psycopg://dashboard:dashboard@127.0.0.1:$PORT/dashboard_test" >&3
