# Shared helpers for the service scripts (sourced, not run).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=ports.env
. "$root/infra/services/ports.env"
svc_dir="$root/.data/services"
mkdir -p "$svc_dir"

say() { printf '%-11s %s\n' "$1" "$2"; }
is_root() { [ "$(id -u)" = 0 ]; }

# Is something accepting TCP connections on 127.0.0.1:$1?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for <seconds> <command...>: retries the command every 0.2 s.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

# Installs Debian packages when running as root (apt-get update once per machine-day); otherwise explains.
apt_install() { # packages...
  if ! is_root; then
    echo "missing: $* — install with: sudo apt-get update && sudo apt-get install -y $*" >&2
    return 1
  fi
  local stamp=/var/lib/apt/periodic/ledgerline-update-stamp
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
    echo "apt-get update" >&2
    apt-get update -qq >/dev/null || { echo "apt-get update failed" >&2; return 1; }
    mkdir -p "$(dirname "$stamp")" && touch "$stamp"
  fi
  echo "apt-get install $*" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || {
    echo "apt-get install $* failed" >&2; return 1; }
}
