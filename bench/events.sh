#!/usr/bin/env bash
# Issue 17's benchmark: events delivered per second to a local webhook receiver while the city
# reviewers approve (the approve scenario of bench/run.sh), and the approve throughput with and
# without webhook subscriptions, on one provincial data set.
#
#   bench/events.sh [sqlite|postgres] [ENTERPRISES=200000] [RUNS=3] [SECONDS=10] [SUBSCRIPTIONS=4]
#
# Set-up (not measured): the demo provider 阿里云 is delegated `cloud_adoption` (decided by the city,
# no 公示) by enterprises (by
# SQL, as bench/bulk.sh does) and, every run, submits 12,000 records for them with
# `POST /bulk/milestones`. Those records are the approve queue — every approval is an event the
# provider's subscriptions must receive — split in two shuffled halves, one per phase: "without"
# (no subscription) and "with" (SUBSCRIPTIONS subscriptions of the provider to
# `milestone.approved` at a local receiver, bench/events/receiver.py, which answers 204 at once
# and counts; each approval is sent to each). The phases alternate in order from run to run.
# After the "with" phase the script waits (up to 180 s) until every delivery has arrived.
# Prints each phase's figures with the load average before it; raw outputs in bench/out/events-<backend>/.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-200000}
runs=${3:-3}
secs=${4:-10}
subs=${5:-4}
source bench/lib.sh
need wrk wrk
need curl curl
cargo build --release --locked --bin enterprise-registry
bin=${CARGO_TARGET_DIR:-target}/release/enterprise-registry
out=bench/out/events-$backend
rm -rf "$out" && mkdir -p "$out"
port=18092
base=http://127.0.0.1:$port
hook=http://127.0.0.1:18099
case $backend in
  sqlite)
    need sqlite3 sqlite3
    rm -f /tmp/bench-events.db*
    url=sqlite:///tmp/bench-events.db
    sql() { sqlite3 -batch -separator $'\t' /tmp/bench-events.db "$1"; }
    sql_file() { sqlite3 /tmp/bench-events.db < "$1"; } ;;
  postgres)
    need psql postgresql-client
    psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS bench_events' -c 'CREATE DATABASE bench_events'
    url=postgres://postgres@127.0.0.1:5432/bench_events
    sql() { psql -h 127.0.0.1 -U postgres -d bench_events -AtqF $'\t' -c "$1"; }
    sql_file() { psql -h 127.0.0.1 -U postgres -d bench_events -q -f "$1"; } ;;
  *) echo "usage: bench/events.sh [sqlite|postgres] [ENTERPRISES] [RUNS] [SECONDS]"; exit 2 ;;
esac
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
{
  echo "command: bench/events.sh $backend $n $runs $secs $subs"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "date: $(date -u +%FT%TZ)"
} > "$out/meta.txt"
DATABASE_URL=$url RUST_LOG=warn "$bin" demo-data --enterprises "$n" > "$out/demo-data.log"
delegate_to_aliyun $((12000 * runs)) cloud_adoption

python3 bench/events/receiver.py 18099 > "$out/receiver.log" 2>&1 &
receiver=$!
DATABASE_URL=$url BIND=127.0.0.1:$port RUST_LOG=warn "$bin" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server $receiver 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf $base/readyz >/dev/null && curl -sf $hook/count >/dev/null && break; sleep 0.2; done
list_reviewers
provider_client

received() { curl -sf $hook/count | json '["by_type"].get("milestone.approved", 0)'; }
approved() { awk '$1 == "approved:" { print $2 }' "$1"; }
hooks=()
subscribe() {
  local token
  token=$(provider_token)
  hooks=()
  for k in $(seq "$subs"); do
    hooks+=("$token $(curl -sf $base/api/v1/webhooks -H "Authorization: Bearer $token" -H 'content-type: application/json' \
      -d "{\"url\":\"$hook/s$k\",\"events\":[\"milestone.approved\"]}" | json '["id"]')")
  done
}
unsubscribe() {
  for h in "${hooks[@]}"; do
    curl -sf -X DELETE "$base/api/v1/webhooks/${h#* }" -H "Authorization: Bearer ${h%% *}" > /dev/null
  done
  hooks=()
}

for run in $(seq "$runs"); do
  declare -A city_token=()
  while IFS=$'\t' read -r user city; do city_token[$city]=$(login "$user"); done < "$out/reviewers.txt"
  bulk_submit_cloud "$run"
  approve_queue "provider_id = '$aliyun' AND milestone_type = 'cloud_adoption'" > "$out/all.txt"
  half=$(( $(wc -l < "$out/all.txt") / 2 ))
  head -n "$half" "$out/all.txt" > "$out/queue.without.txt"
  tail -n +"$((half + 1))" "$out/all.txt" > "$out/queue.with.txt"
  if [ $((run % 2)) -eq 1 ]; then phases="without with"; else phases="with without"; fi
  for phase in $phases; do
    f=$out/approve.$phase.$run.txt
    [ "$phase" = with ] && subscribe
    curl -sf -X POST $hook/reset > /dev/null
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$f"
    echo "queue: $(wc -l < "$out/queue.$phase.txt")" >> "$f"
    t0=$(date +%s.%N)
    THREADS=2 QUEUE=$out/queue.$phase.txt wrk -t2 -c64 -d${secs}s --latency -s bench/lua/approve.lua $base >> "$f" 2>&1 || true
    t1=$(date +%s.%N)
    during=$(received)
    if [ "$phase" = with ]; then
      want=$(( $(approved "$f") * subs ))
      for _ in $(seq 900); do [ "$(received)" -ge "$want" ] && break; sleep 0.2; done
      t2=$(date +%s.%N)
      got=$(received)
      unsubscribe
      {
        echo "delivered during the approvals: $during in $(echo "$t1 - $t0" | bc) s"
        echo "delivered in all: $got of $want, last at +$(echo "$t2 - $t0" | bc) s"
      } >> "$f"
    fi
    rate=$(awk -v s="$secs" -v a="$(approved "$f")" 'BEGIN { printf "%.0f", a / s }')
    echo "run $run, $phase subscriptions: $rate approvals/s ($(grep -E '^(load|queue|delivered)' "$f" | paste -sd';' -))"
  done
done | tee "$out/summary.txt"
