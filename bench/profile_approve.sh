#!/usr/bin/env bash
# Where an approval's CPU goes on PostgreSQL: on the database `bench/run.sh postgres …` left
# (bench_run; or `enterprise-registry demo-data` into it), starts the release binary, lets the 11
# city reviewers approve what is left of their queue with wrk (64 connections, as the run's
# approve scenario) and records the whole machine with perf while they do.
#
#   bench/profile_approve.sh [SECONDS=12]
#
# Prints approvals/s and the shares by process and of PostgreSQL's main phases; the raw profile
# is bench/out/profile/perf.data (`perf report -i …`). Needs perf (Debian's linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-12}
source bench/lib.sh
need wrk wrk
need perf linux-perf
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
bin=${CARGO_TARGET_DIR:-target}/release/enterprise-registry
url=postgres://postgres@127.0.0.1:5432/bench_run
sql() { psql -h 127.0.0.1 -U postgres -d bench_run -AtqF $'\t' -c "$1"; }
out=bench/out/profile
rm -rf "$out" && mkdir -p "$out"
base=http://127.0.0.1:18099
DATABASE_URL=$url BIND=127.0.0.1:18099 RUST_LOG=warn "$bin" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_ready
declare -A city_token=()
reviewer_tokens
approve_queue > "$out/queue.txt"
echo "queue: $(wc -l < "$out/queue.txt") records; commit $(git rev-parse --short HEAD)"
(sleep 2; perf record -e cpu-clock -a -g -F 499 -o "$out/perf.data" -- sleep $((secs - 4)) > /dev/null 2>&1) &
profiler=$!
QUEUE=$out/queue.txt wrk -t2 -c64 -d${secs}s --latency -s bench/lua/approve.lua $base | grep -E "Requests/sec|Non-2xx"
wait $profiler
perf report -i "$out/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep '%' | head -5
perf report -i "$out/perf.data" --children --comm postgres --sort sym --stdio -g none 2>/dev/null \
  | grep -E '\] (PostgresMain|standard_ExecutorRun|ExecInsertIndexTuples|index_getnext_slot|GetCachedPlan|pg_plan_queries|raw_parser|parse_analyze_varparams|secure_read|CommitTransactionCommand|XLogFlush|DoCopy)$'
