#!/usr/bin/env bash
# Local services for development and tests, on loopback with project-specific ports (ports.env) and data under
# .data/services/: PostgreSQL 15, nats-server with JetStream, clickhouse-server.
#   services.sh start [--install]   start what is not running (idempotent); --install installs missing packages as root
#   services.sh stop                stop what we started
#   services.sh status              show each service
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action=${1:-status}
install=no
[ "${2:-}" = "--install" ] && install=yes
case "$action" in start|stop|status) ;; *) echo "usage: $0 start [--install] | stop | status" >&2; exit 2 ;; esac

status=0
for svc in postgres nats clickhouse; do
  INSTALL=$install "$here/$svc.sh" "$action" || status=1
done
if [ "$action" = start ] && [ $status -ne 0 ]; then
  echo "some services did not start; see the messages above (logs under .data/services/*/)" >&2
fi
exit $status
