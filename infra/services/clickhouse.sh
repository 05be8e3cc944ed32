#!/usr/bin/env bash
# clickhouse-server for Ledgerline on 127.0.0.1 (HTTP $LEDGERLINE_CLICKHOUSE_HTTP_PORT), data in .data/services/clickhouse/.
# Debian ships ClickHouse 18.16: the config below uses only what that version understands.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name=clickhouse
port=$LEDGERLINE_CLICKHOUSE_HTTP_PORT
tport=$LEDGERLINE_CLICKHOUSE_TCP_PORT
dir="$svc_dir/clickhouse"

find_bin() { command -v clickhouse-server 2>/dev/null || { [ -x /usr/sbin/clickhouse-server ] && echo /usr/sbin/clickhouse-server; }; }
ready() { curl -fsS "http://127.0.0.1:$port/?query=SELECT%201" 2>/dev/null | grep -q '^1$'; }

start() {
  local bin
  if ! bin=$(find_bin); then
    [ "${INSTALL:-no}" = yes ] && apt_install clickhouse-server clickhouse-client && bin=$(find_bin) || {
      say "$name" "NOT INSTALLED: apt-get install clickhouse-server clickhouse-client, or run 'make test' as root"; return 1; }
  fi
  if ready; then say "$name" "running on 127.0.0.1:$port (HTTP)"; return 0; fi
  if port_open "$port"; then say "$name" "port $port is taken by another program"; return 1; fi
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
  cat >"$dir/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$dir/log/clickhouse-server.log</log>
    <errorlog>$dir/log/clickhouse-server.err.log</errorlog>
    <size>100M</size>
    <count>3</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$port</http_port>
  <tcp_port>$tport</tcp_port>
  <max_connections>1024</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
XML
  # 18.16 writes --pid-file only when daemonised, so keep the pid ourselves.
  (cd "$dir" && { nohup "$bin" --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 & echo $! >"$dir/clickhouse.pid"; })
  wait_for 60 ready || { say "$name" "did not become ready: see $dir/log/"; return 1; }
  say "$name" "started on 127.0.0.1:$port (HTTP), $tport (native)"
}

stop() {
  local pid
  pid=$(cat "$dir/clickhouse.pid" 2>/dev/null || pgrep -f "clickhouse-server --config-file=$dir/config.xml")
  if [ -n "$pid" ] && kill $pid 2>/dev/null; then
    # The data directory stays locked until the process has exited, not just closed its ports.
    wait_for 60 bash -c "! kill -0 $pid 2>/dev/null" || kill -9 $pid 2>/dev/null
    rm -f "$dir/clickhouse.pid"
    say "$name" "stopped"
  else
    say "$name" "not running"
  fi
}

status() {
  find_bin >/dev/null || { say "$name" "NOT INSTALLED (apt-get install clickhouse-server clickhouse-client)"; return 1; }
  if ready; then
    say "$name" "running on 127.0.0.1:$port (version $(curl -fsS "http://127.0.0.1:$port/?query=SELECT%20version()"))"
  else say "$name" "stopped"; return 1; fi
}

case "${1:-status}" in start) start ;; stop) stop ;; status) status ;; esac
