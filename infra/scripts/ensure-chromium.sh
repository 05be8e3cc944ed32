#!/usr/bin/env bash
# Makes sure a headless Chromium exists for the wallboard's end-to-end test (api/wallboard/wallboard.int.test.ts),
# which drives Debian's /usr/bin/chromium with playwright-core. Installs the `chromium` package with apt when it is
# missing and we run as root; otherwise says what to do and fails (the test would fail too, never skip).
# CHROMIUM_PATH overrides the binary the test uses (default /usr/bin/chromium).
set -euo pipefail
bin=${CHROMIUM_PATH:-/usr/bin/chromium}

if [ -x "$bin" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ledgerline: $bin is missing and we are not root; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ledgerline: $bin is missing and apt-get is not available; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
echo "ledgerline: installing chromium with apt-get (for the wallboard end-to-end test)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
[ -x "$bin" ] || { echo "ledgerline: apt installed chromium but $bin does not exist; set CHROMIUM_PATH" >&2; exit 1; }
