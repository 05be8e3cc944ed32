#!/usr/bin/env bash
# nats-server with JetStream for Ledgerline on 127.0.0.1:$LEDGERLINE_NATS_PORT, store in .data/services/nats/.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name=nats
port=$LEDGERLINE_NATS_PORT
mport=$LEDGERLINE_NATS_MONITOR_PORT
dir="$svc_dir/nats"

find_bin() { command -v nats-server 2>/dev/null || { [ -x /usr/sbin/nats-server ] && echo /usr/sbin/nats-server; }; }
# JetStream is up when the monitoring endpoint reports it.
ready() { port_open "$port" && curl -fsS "http://127.0.0.1:$mport/jsz" 2>/dev/null | grep -q '"config"'; }

start() {
  local bin
  if ! bin=$(find_bin); then
    [ "${INSTALL:-no}" = yes ] && apt_install nats-server && bin=$(find_bin) || {
      say "$name" "NOT INSTALLED: apt-get install nats-server, or run 'make test' as root"; return 1; }
  fi
  if ready; then say "$name" "running on 127.0.0.1:$port (JetStream)"; return 0; fi
  if port_open "$port"; then say "$name" "port $port is taken by another program"; return 1; fi
  mkdir -p "$dir/jetstream"
  cat >"$dir/nats.conf" <<CONF
# Ledgerline local NATS
listen: 127.0.0.1:$port
http: 127.0.0.1:$mport
pid_file: "$dir/nats.pid"
log_file: "$dir/nats.log"
max_payload: 8MB
jetstream {
  store_dir: "$dir/jetstream"
  max_memory_store: 256MB
  max_file_store: 4GB
}
CONF
  nohup "$bin" -c "$dir/nats.conf" >/dev/null 2>&1 &
  wait_for 20 ready || { say "$name" "did not become ready: see $dir/nats.log"; return 1; }
  say "$name" "started on 127.0.0.1:$port (JetStream, store $dir/jetstream)"
}

stop() {
  local pid
  pid=$(cat "$dir/nats.pid" 2>/dev/null)
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    wait_for 30 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null
    say "$name" "stopped"
  else
    say "$name" "not running"
  fi
}

status() {
  find_bin >/dev/null || { say "$name" "NOT INSTALLED (apt-get install nats-server)"; return 1; }
  if ready; then say "$name" "running on 127.0.0.1:$port ($("$(find_bin)" --version))"; else say "$name" "stopped"; return 1; fi
}

case "${1:-status}" in start) start ;; stop) stop ;; status) status ;; esac
