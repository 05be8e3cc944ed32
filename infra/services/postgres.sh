#!/usr/bin/env bash
# PostgreSQL 15 for Ledgerline on 127.0.0.1:$LEDGERLINE_PG_PORT, data in .data/services/postgres/.
# The server refuses to run as root, so as root the cluster belongs to (and runs as) the `postgres` user.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name=postgres
port=$LEDGERLINE_PG_PORT
dir="$svc_dir/postgres"

find_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

# Runs a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

ready() { port_open "$port" && as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; }

# Where the cluster's files live. Normally $dir/data; if the postgres user cannot reach the checkout
# (a private parent directory), the files go to /var/lib/ledgerline and $dir/data links there.
data_dir() {
  if is_root && ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
    local alt="/var/lib/ledgerline/pg-$(printf %s "$dir" | sha256sum | cut -c1-12)"
    mkdir -p "$alt" && chown postgres:postgres "$alt"
    [ -L "$dir/data" ] || { rm -rf "$dir/data"; ln -s "$alt" "$dir/data"; }
    echo "$alt"
  else
    echo "$dir/data"
  fi
}

start() {
  if ! bin=$(find_bin); then
    [ "${INSTALL:-no}" = yes ] && apt_install postgresql && bin=$(find_bin) || {
      say "$name" "NOT INSTALLED: apt-get install postgresql (PostgreSQL 15), or run 'make test' as root"; return 1; }
  fi
  if ready; then say "$name" "running on 127.0.0.1:$port"; return 0; fi
  if port_open "$port"; then say "$name" "port $port is taken by another program"; return 1; fi
  mkdir -p "$dir"
  is_root && chown postgres:postgres "$dir"
  local data; data=$(data_dir)
  local log="$dir/postgres.log" sock="$dir/run"
  mkdir -p "$sock"; is_root && chown postgres:postgres "$sock"
  touch "$log"; is_root && chown postgres:postgres "$log"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      say "$name" "initdb failed: see $dir/initdb.log"; return 1; }
    cat >>"$data/postgresql.conf" <<CONF
# Ledgerline local cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
max_connections = 300
shared_buffers = 512MB
wal_buffers = 16MB
max_wal_size = 2GB
checkpoint_timeout = 15min
log_min_messages = warning
CONF
  fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 2>&1 || {
    say "$name" "failed to start: see $log"; return 1; }
  wait_for 30 ready || { say "$name" "did not become ready: see $log"; return 1; }
  as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL || { say "$name" "could not create the ledgerline role"; return 1; }
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$LEDGERLINE_PG_USER') THEN
    CREATE ROLE $LEDGERLINE_PG_USER LOGIN SUPERUSER PASSWORD '$LEDGERLINE_PG_PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $LEDGERLINE_PG_USER OWNER $LEDGERLINE_PG_USER'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$LEDGERLINE_PG_USER') \gexec
SQL
  say "$name" "started on 127.0.0.1:$port (data $data)"
}

stop() {
  bin=$(find_bin) || { say "$name" "not installed"; return 0; }
  local data="$dir/data"
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 && say "$name" "stopped" || say "$name" "stop failed"
  else
    say "$name" "not running"
  fi
}

status() {
  bin=$(find_bin) || { say "$name" "NOT INSTALLED (apt-get install postgresql)"; return 1; }
  if ready; then say "$name" "running on 127.0.0.1:$port ($("$bin/postgres" --version))"; else say "$name" "stopped"; return 1; fi
}

case "${1:-status}" in start) start ;; stop) stop ;; status) status ;; esac
