#!/usr/bin/env bash
# Issue 19's two-instance check: approvals by the city reviewers (of 12,000 上云 records a provider
# submits in bulk before each run, set-up as in bench/events.sh) against one service instance,
# then against two instances on the same PostgreSQL database (each with half the queue and half
# the connections), alternating per run; while each runs, pg_stat_activity is sampled every
# 200 ms for backends waiting on a lock (`wait_event_type = 'Lock'`), to show whether the
# approvals collapse into lock waits.
#
#   bench/two_instances.sh [ENTERPRISES=200000] [RUNS=3] [SECONDS=10]
#
# Prints per run and setting: approvals/s (the sum over the instances), the load before, and the
# mean and peak number of backends waiting on a lock. Raw outputs in bench/out/two-instances/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
runs=${2:-3}
secs=${3:-10}
source bench/lib.sh
need wrk wrk
need curl curl
need psql postgresql-client
cargo build --release --locked --bin enterprise-registry
bin=${CARGO_TARGET_DIR:-target}/release/enterprise-registry
out=bench/out/two-instances
rm -rf "$out" && mkdir -p "$out"
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS bench_two' -c 'CREATE DATABASE bench_two'
url=postgres://postgres@127.0.0.1:5432/bench_two
sql() { psql -h 127.0.0.1 -U postgres -d bench_two -AtqF $'\t' -c "$1"; }
sql_file() { psql -h 127.0.0.1 -U postgres -d bench_two -q -f "$1"; }
DATABASE_URL=$url RUST_LOG=warn "$bin" demo-data --enterprises "$n" > "$out/demo-data.log"
delegate_to_aliyun $((12000 * runs)) cloud_adoption
echo "command: bench/two_instances.sh $n $runs $secs; commit $(git rev-parse --short HEAD)" > "$out/meta.txt"

pids=()
start() {
  local port
  for port in "$@"; do
    DATABASE_URL=$url BIND=127.0.0.1:$port RUST_LOG=warn "$bin" >> "$out/server.$port.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  done
}
stop() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; pids=(); }
trap stop EXIT
# Backends waiting on a lock, sampled until the file $1.stop appears.
sample() {
  while [ ! -e "$1.stop" ]; do
    sql "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity WHERE datname = 'bench_two' AND pid <> pg_backend_pid()" >> "$1"
    sleep 0.2
  done
}
base=http://127.0.0.1:18093
start 18093
list_reviewers
provider_client
stop

for run in $(seq "$runs"); do
  # 12,000 records the city reviewers decide for good, submitted by a provider (not measured).
  start 18093
  bulk_submit_cloud "$run"
  stop
  if [ $((run % 2)) -eq 1 ]; then settings="one two"; else settings="two one"; fi
  for setting in $settings; do
    if [ "$setting" = one ]; then ports="18093"; else ports="18093 18094"; fi
    start $ports
    declare -A city_token=()
    while IFS=$'\t' read -r user city; do city_token[$city]=$(login "$user"); done < "$out/reviewers.txt"
    approve_queue > "$out/queue.txt"
    f=$out/$setting.$run
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    rm -f "$f.locks" "$f.locks.stop"
    sample "$f.locks" &
    sampler=$!
    if [ "$setting" = one ]; then
      THREADS=2 QUEUE=$out/queue.txt wrk -t2 -c64 -d${secs}s -s bench/lua/approve.lua http://127.0.0.1:18093 > "$f.a.txt" 2>&1 || true
    else
      half=$(( $(wc -l < "$out/queue.txt") / 2 ))
      head -n "$half" "$out/queue.txt" > "$out/queue.a.txt"
      tail -n +"$((half + 1))" "$out/queue.txt" > "$out/queue.b.txt"
      THREADS=1 QUEUE=$out/queue.a.txt wrk -t1 -c32 -d${secs}s -s bench/lua/approve.lua http://127.0.0.1:18093 > "$f.a.txt" 2>&1 &
      first=$!
      THREADS=1 QUEUE=$out/queue.b.txt wrk -t1 -c32 -d${secs}s -s bench/lua/approve.lua http://127.0.0.1:18094 > "$f.b.txt" 2>&1 || true
      wait $first || true
    fi
    touch "$f.locks.stop"; wait $sampler 2>/dev/null || true
    stop
    approved=$(cat "$f".[ab].txt 2>/dev/null | awk '$1 == "approved:" { s += $2 } END { print s + 0 }')
    empty=$(cat "$f".[ab].txt 2>/dev/null | awk '$1 == "queue" && $2 == "empty:" { s += $3 } END { print s + 0 }')
    locks=$(awk -F'\t' '{ n++; s += $1; if ($1 > m) m = $1; a += $2 } END { printf "lock waiters mean %.2f, peak %d, active backends mean %.1f over %d samples", s / n, m, a / n, n }' "$f.locks")
    echo "run $run, $setting instance(s): $(awk -v a="$approved" -v s="$secs" 'BEGIN { printf "%.0f", a / s }') approvals/s (load before $load; queue empty $empty; $locks)"
  done
done | tee "$out/summary.txt"
