#!/usr/bin/env bash
# bench/web.sh - requests per second and p50/p99 latency of `kartoteka serve`
# (login form, login, search, document view) with C concurrent clients, then
# the same while S slow connections from another loopback address trickle a
# header byte every few seconds and never finish (a slowloris). Issue 17.
# Run by hand, never by ctest; loopback only:
#
#   bench/web.sh [-k BUILD/tools/kartoteka] [-b BUILD/bench/bench_web]
#                [-n REQUESTS] [-c CLIENTS] [-s SLOW] [--quick]
#
# Full size (the default): 50 clients, 2000 searches and 2000 document views,
# 3 logins per client, 300 slow connections; 6 pages ingested. --quick: 10
# clients, 500 and 500, 60 slow connections, 4 pages (under a minute).
# -n, -c, -s after --quick change its figures.
#
# A fresh store in a temporary folder: the sample scans ingested, a user
# `bench` (archivist), `serve --listen 127.0.0.1:0 --per-address 64` (64: the
# clients all come from 127.0.0.1, the attacker from 127.0.0.2, and the
# per-address limit is what keeps the attacker to 64 connections), then
# bench_web twice: without and with the slow connections. The slow ones get
# a head start of 28 s (--quick: 5 s) before the clients begin, so that in
# the full run the server's request timeout (30 s) closes the first ones held
# and they are opened again while the clients are measured. Everything is
# removed on exit. Targets: p99 under 1 s for every kind under the attack,
# and no request of a legitimate client refused.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
kt=$here/build/tools/kartoteka
bw=$here/build/bench/bench_web
clients=50 requests=2000 slow=300 per_address=64 warmup=28
samples=(en_letter.png lv_lemums_karimi.png passport_td3.png lt_prasymas.tif
         lv_iesniegums_skew.png ru_sobesedovanie.jpg)       # 6 files, 6 pages
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    -k) kt=$2; shift 2 ;;
    -b) bw=$2; shift 2 ;;
    -n) requests=$2; shift 2 ;;
    -c) clients=$2; shift 2 ;;
    -s) slow=$2; shift 2 ;;
    --quick) clients=10 requests=500 slow=60 warmup=5
             samples=(en_letter.png lv_lemums_karimi.png passport_td3.png lt_prasymas.tif)
             shift ;;
    *) usage ;;
  esac
done
[ -x "$kt" ] || { echo "web: no kartoteka at $kt (build it, or give -k)"; exit 2; }
[ -x "$bw" ] || { echo "web: no bench_web at $bw (cmake --build BUILD --target bench_web, or give -b)"; exit 2; }
if [ "$clients" -ge "$per_address" ]; then per_address=$((clients + 8)); fi

tmp=$(mktemp -d /tmp/kt-bench-web.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the store: a few sample scans, one archivist
mkdir -p "$tmp/scans"
for f in "${samples[@]}"; do cp "$here/samples/scans/$f" "$tmp/scans/"; done
echo "web: ingesting ${#samples[@]} sample files into $tmp/store"
t=$(date +%s)
if ! timeout 500 "$kt" --store "$tmp/store" ingest "$tmp/scans" >"$tmp/ingest.log" 2>&1; then
  echo "web: ingest failed:"; tail -5 "$tmp/ingest.log"; exit 2
fi
echo "web: ingested in $(( $(date +%s) - t )) s"
pw="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
printf '%s\n' "$pw" > "$tmp/pw"
"$kt" --store "$tmp/store" user add bench --role archivist < "$tmp/pw" >/dev/null

# ---- the server, on a free port it picks itself
"$kt" --store "$tmp/store" serve --listen 127.0.0.1:0 --per-address "$per_address" \
  >"$tmp/serve.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.3
done
[ -n "$port" ] || { echo "web: the server did not start:"; cat "$tmp/serve.log"; exit 2; }
for _ in $(seq 1 50); do   # answering?
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done
echo "web: serve on 127.0.0.1:$port, --per-address $per_address (other limits default:" \
     "--threads 4, --max-connections 256, --request-timeout 30)"
echo "web: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the two runs
run() {  # LABEL SLOW
  local rc=0
  timeout 590 "$bw" --port "$port" --user bench -c "$clients" -n "$requests" -l 3 -s "$2" \
    --warmup "$warmup" --label "$1" < "$tmp/pw" > "$tmp/$1.txt" || rc=$?
  [ "$rc" -le 1 ] || { echo "web: bench_web $1 ended with $rc"; cat "$tmp/$1.txt"; exit 2; }
}
echo "web: $clients clients, $requests searches and $requests document views, 3 logins each"
run quiet 0
echo "web: load average after the quiet run: $(cut -d' ' -f1-3 /proc/loadavg)"
run slowloris "$slow"
echo "web: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
head -1 "$tmp/quiet.txt"
grep -h -v '^run ' "$tmp/quiet.txt" "$tmp/slowloris.txt"
echo
awk '$1 == "slowloris" && $2 != "slow" && $3 ~ /^[0-9]+$/ {
       if ($7 > worst) { worst = $7; kind = $2 }
       refused += $9; failed += $10 }
     END {
       printf "target p99 < 1 s under the slow connections: %s (worst p99 %.1f ms, %s)\n",
              worst < 1000 ? "held" : "NOT held", worst, kind
       printf "target no legitimate request refused: %s (%d refused, %d failed otherwise)\n",
              refused == 0 ? "held" : "NOT held", refused, failed }' "$tmp/slowloris.txt"
awk '$1 == "quiet" && $3 ~ /^[0-9]+$/ { refused += $9; failed += $10 }
     END { printf "without them: %d refused, %d failed\n", refused, failed }' "$tmp/quiet.txt"
