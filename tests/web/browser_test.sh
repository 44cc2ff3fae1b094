#!/bin/sh
# browser_test.sh - the web interface in headless Chromium: log in, search,
# open a document and a case, save screenshots (tests/web/browser.mjs).
#
#   browser_test.sh KARTOTEKA STORE WORK OUTDIR
#
# Works on a copy of STORE in WORK. Exits 77 (ctest: skipped) when chromium or
# node (20.10 or later, for its WebSocket) is missing.
set -eu
kartoteka=$1 store=$2 work=$3 outdir=$4
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] || ! command -v node >/dev/null 2>&1; then
  echo "browser test: chromium or node missing, skipped"
  exit 77
fi
# Node's own WebSocket: Node 22, or Node 20.10+ with --experimental-websocket
if [ "$(node --experimental-websocket --no-warnings -e 'process.stdout.write(typeof WebSocket)' 2>/dev/null)" != function ]; then
  echo "browser test: node $(node --version) has no WebSocket (Node 20.10 or later needed), skipped"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
cp -a "$store" "$work/store"
rm -f "$work/store/access.sqlite"*
echo "archivist-pw" | "$kartoteka" --store "$work/store" user add anna --role archivist
"$kartoteka" --store "$work/store" serve --listen 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
while ! grep -q "listening on" "$work/serve.out" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 100 ] || { echo "browser test: serve did not start"; cat "$work/serve.err"; exit 1; }
  sleep 0.1
done
url=$(sed -n 's|^listening on \(http://[^/]*\)/$|\1|p' "$work/serve.out")
CHROMIUM=$chromium node --experimental-websocket --no-warnings "$here/browser.mjs" \
  "$url" anna archivist-pw "$outdir"
kill $pid
wait $pid
