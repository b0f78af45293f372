#!/usr/bin/env bash
# Two builds side by side on the read-by-id scenario of bench/run.sh (a province officer's GET of
# random non-draft milestones), on one provincial data set generated once (by build B). In every
# run each build serves it in turn, A then B, so that drift of the machine falls on both; reads
# change nothing, so the data is the same for every run.
#
#   bench/ab_reads.sh [sqlite|postgres] ENTERPRISES RUNS SECONDS BIN_A BIN_B
#
# Prints each build's req/s and p99 (with the load average before each run); raw wrk outputs in
# bench/out/ab-reads-<backend>/. Needs what bench/run.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ab_args "$@"
out=bench/out/ab-reads-$backend
rm -rf "$out" && mkdir -p "$out"
port=18092
base=http://127.0.0.1:$port
fresh_db "$backend" bench_ab_reads
DATABASE_URL=$url RUST_LOG=warn "${bin[B]}" demo-data --enterprises "$n" > "$out/demo-data.log"
sql "SELECT id FROM milestones WHERE state <> 'draft' ORDER BY random() LIMIT 20000" > "$out/ids.txt"

pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT

for run in $(seq "$runs"); do
  for build in A B; do
    start_service "${bin[$build]}"
    f=$out/read_by_id.$build.$run.txt
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$f"
    TOKEN=$(login demo.province) IDS=$out/ids.txt wrk -t2 -c64 -d${secs}s --latency \
      -s bench/lua/random_id.lua $base >> "$f" 2>&1 || true
    stop_service
    echo "run $run, build $build: $(awk '/Requests\/sec/ {print $2}' "$f") req/s, p99 $(awk '$1 == "99%" {print $2}' "$f")"
  done
done
for build in A B; do
  rates=$(for run in $(seq "$runs"); do awk '/Requests\/sec/ {printf "%.0f\n", $2}' "$out/read_by_id.$build.$run.txt"; done | sort -n | xargs)
  echo "$build ${bin[$build]} read_by_id: $rates req/s (sorted; load before: $(grep -h '^load:' "$out/read_by_id.$build".*.txt | awk '{print $2}' | xargs))"
done | tee "$out/summary.txt"
