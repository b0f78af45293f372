#!/usr/bin/env bash
# Two builds side by side on the write scenarios of bench/run.sh (create + submit by API clients
# of 200 random enterprises; approve by the 11 city reviewers), on one provincial data set. The
# data set is generated once (by build B); then in every run each build serves it in turn, A then
# B, so that drift of the machine and of the data (it grows by what the runs write) falls on both.
#
#   bench/ab_writes.sh [sqlite|postgres] ENTERPRISES RUNS SECONDS BIN_A BIN_B
#
# Prints each build's figures (req/s, with the load average before each run); raw wrk outputs in
# bench/out/ab-<backend>/. Needs what bench/run.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ab_args "$@"
out=bench/out/ab-$backend
rm -rf "$out" && mkdir -p "$out"
port=18091
base=http://127.0.0.1:$port
fresh_db "$backend" bench_ab
DATABASE_URL=$url RUST_LOG=warn "${bin[B]}" demo-data --enterprises "$n" > "$out/demo-data.log"

pid=
# Milestones submitted (or approved) per second in one scenario run, from the script's counter.
rate() { awk -v s="$secs" -v k="$2:" '$1 == k { printf "%.0f\n", $2 / s }' "$out/$1.$3.$4.txt"; }
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT

start_service "${bin[B]}"
make_actors
stop_service

for run in $(seq "$runs"); do
  for build in A B; do
    start_service "${bin[$build]}"
    declare -A city_token=()
    fresh_tokens
    f=$out/create_submit.$build.$run.txt
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$f"
    ACTORS=$out/actors.txt wrk -t2 -c64 -d${secs}s --latency -s bench/lua/create_submit.lua $base >> "$f" 2>&1 || true
    approve_queue > "$out/queue.txt"
    f=$out/approve.$build.$run.txt
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$f"
    THREADS=2 QUEUE=$out/queue.txt wrk -t2 -c64 -d${secs}s --latency -s bench/lua/approve.lua $base >> "$f" 2>&1 || true
    stop_service
    echo "run $run, build $build: $(rate create_submit submitted $build $run) milestones/s, $(rate approve approved $build $run) approvals/s"
  done
done
for build in A B; do
  for s in create_submit:submitted approve:approved; do
    rates=$(for run in $(seq "$runs"); do rate "${s%%:*}" "${s#*:}" $build "$run"; done | sort -n | xargs)
    echo "$build ${bin[$build]} ${s%%:*}: $rates per s (sorted; load before: $(grep -h '^load:' "$out/${s%%:*}.$build".*.txt | awk '{print $2}' | xargs))"
  done
done | tee "$out/summary.txt"
