#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for Winnow's tests and benchmarks, and prints its URL.
#
#   scripts/pg-test-server.sh start [LEASE]   # prints postgres://winnow@127.0.0.1:55432/winnow_test
#   scripts/pg-test-server.sh stop  [LEASE]
#   scripts/pg-test-server.sh url
#
# initdb refuses to run as root, so as root the server runs as the user "pgtest" (created if missing).
# LEASE (e.g. the test process's pid) lets several test files share one server: `stop LEASE` drops that
# lease and stops the server only when no live lease is left. Without LEASE, stop stops at once.
# Settings (environment): WINNOW_PG_DIR (default /tmp/winnow-pg-test), WINNOW_PG_PORT (55432),
# WINNOW_PG_FSYNC (off; the benchmark uses on to match the Optuna anchor), PG_BIN (Debian's PostgreSQL 15).
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${WINNOW_PG_DIR:-/tmp/winnow-pg-test}
PORT=${WINNOW_PG_PORT:-55432}
FSYNC=${WINNOW_PG_FSYNC:-off}
DB=winnow_test
OS_USER=pgtest
URL="postgres://winnow@127.0.0.1:${PORT}/${DB}"
cmd=${1:-}
lease=${2:-}

die() { echo "pg-test-server: $*" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u "$OS_USER" -- "$@"; else "$@"; fi; }
running() { as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1 9>&-; }

[ -x "$BIN/initdb" ] || die "no PostgreSQL binaries in $BIN. Install them (apt-get install postgresql-15) or set PG_BIN."
mkdir -p "$DIR/leases"
exec 9>"$DIR/lock"
flock 9 # one start/stop at a time: parallel test files may call this together

case "$cmd" in
start)
  if [ "$(id -u)" = 0 ]; then
    id -u "$OS_USER" >/dev/null 2>&1 || useradd -m "$OS_USER" || die "cannot create user $OS_USER"
    chown -R "$OS_USER" "$DIR"
  fi
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    as_pg "$BIN/initdb" -D "$DIR/data" -U winnow --auth=trust >"$DIR/initdb.log" 2>&1 ||
      die "initdb failed: $(tail -5 "$DIR/initdb.log")"
  fi
  if ! running; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=$FSYNC -c max_connections=200" start >/dev/null 9>&- ||
      die "server did not start: $(tail -5 "$DIR/server.log")"
  fi
  exists=$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U winnow -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")
  [ "$exists" = 1 ] || as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U winnow "$DB" || die "createdb $DB failed"
  [ -z "$lease" ] || touch "$DIR/leases/$lease"
  echo "$URL"
  ;;
stop)
  [ -z "$lease" ] || rm -f "$DIR/leases/$lease"
  live=0
  for f in "$DIR"/leases/*; do
    [ -e "$f" ] || continue
    # A lease whose process is gone (a crashed test run) no longer keeps the server up.
    if kill -0 "$(basename "$f")" 2>/dev/null; then live=$((live + 1)); else rm -f "$f"; fi
  done
  if [ -n "$lease" ] && [ "$live" -gt 0 ]; then
    echo "pg-test-server: still used by $live other lease(s); left running" >&2
  elif running; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
  fi
  ;;
url) echo "$URL" ;;
*) die "usage: $0 start|stop [LEASE] | url" ;;
esac
