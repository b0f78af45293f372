#!/usr/bin/env bash
# Approvals on SQLite with a full queue: `bench/run.sh sqlite 500000 3 10` shares the demo's
# ~21,800 city-decided records between its three runs, and SQLite approves them faster than
# that since checkpoints left the write path, so its approve figure is a lower bound. Here every
# run starts from a fresh copy of one demo database, so each gets the whole queue: the 11 city
# reviewers approve for SECONDS (64 connections), then the province officer reads random
# records (64 connections, 8 s), against the release binary (or BIN).
#
#   bench/approve_sqlite.sh [ENTERPRISES=500000] [RUNS=3] [SECONDS=10]
#
# The demo database is generated once into /tmp/bench-approve-base.db (kept for the next call of
# the same size; delete it to start over). Raw outputs (the servers' logs in one server.log):
# bench/out/approve-sqlite/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500000}
runs=${2:-3}
secs=${3:-10}
source bench/lib.sh
need wrk wrk
need sqlite3 sqlite3
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
bin=${BIN:-${CARGO_TARGET_DIR:-target}/release/enterprise-registry}
snapshot=/tmp/bench-approve-base.db
db=/tmp/bench-approve.db
out=bench/out/approve-sqlite
rm -rf "$out" && mkdir -p "$out"
base=http://127.0.0.1:18095
sql() { sqlite3 -batch -separator $'\t' "$db" "$1"; }
url=sqlite://$db
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT
if [ ! -f "$snapshot" ] || [ "$(cat "$snapshot.size" 2>/dev/null)" != "$n" ]; then
  rm -f "$snapshot"*
  DATABASE_URL=sqlite://$snapshot RUST_LOG=warn "$bin" demo-data --enterprises "$n" > "$out/demo-data.log"
  echo "$n" > "$snapshot.size"
fi
sqlite3 "$snapshot" "SELECT id FROM milestones WHERE state <> 'draft' ORDER BY random() LIMIT 20000" > "$out/ids.txt"
echo "commit $(git rev-parse --short HEAD), $(nproc) cores"
for run in $(seq "$runs"); do
  rm -f "$db"*
  cp "$snapshot" "$db"
  start_service "$bin"
  declare -A city_token=()
  reviewer_tokens
  approve_queue > "$out/queue.$run.txt"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  QUEUE=$out/queue.$run.txt wrk -t2 -c64 -d"${secs}s" --latency -s bench/lua/approve.lua $base > "$out/approve.$run.txt" 2>&1 || true
  TOKEN=$(login demo.province) IDS=$out/ids.txt wrk -t2 -c64 -d8s --latency -s bench/lua/random_id.lua $base > "$out/reads.$run.txt" 2>&1 || true
  wal=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
  stop_service
  approved=$(sed -n 's/^approved: //p' "$out/approve.$run.txt")
  empty=$(sed -n 's/^queue empty: //p' "$out/approve.$run.txt")
  echo "run $run: load $load; queue $(wc -l < "$out/queue.$run.txt"), approved $approved in ${secs} s ($((approved / secs))/s, queue empty $empty);" \
    "reads $(grep -oE 'Requests/sec: *[0-9.]+' "$out/reads.$run.txt" | grep -oE '[0-9.]+$') req/s; log $((wal / 1048576)) MB"
done
rm -f "$db"*
