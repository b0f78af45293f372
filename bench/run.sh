#!/usr/bin/env bash
# Benchmark harness (first part of issue 7): builds the release binary, generates the provincial
# demo data set on a fresh database, starts the service and drives it with wrk at 64 connections.
# Usage: bench/run.sh [sqlite|postgres] [ENTERPRISES]. Results: bench/out/<backend>-<commit>.txt.
# Scenarios not yet here: create+submit and approve under load (they need stateful Lua scripts).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-500000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --locked
bin=${CARGO_TARGET_DIR:-target}/release/enterprise-registry
mkdir -p bench/out
commit=$(git rev-parse --short HEAD)
out=bench/out/$backend-$commit.txt
case $backend in
  sqlite) rm -f /tmp/bench-run.db*; url=sqlite:///tmp/bench-run.db ;;
  postgres)
    psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS bench_run' -c 'CREATE DATABASE bench_run'
    url=postgres://postgres@127.0.0.1:5432/bench_run ;;
  *) echo "usage: bench/run.sh [sqlite|postgres] [ENTERPRISES]"; exit 2 ;;
esac
{
  echo "# bench/run.sh $backend $n — commit $commit — $(date -u +%FT%TZ)"
  echo "nproc $(nproc); $(uptime)"
  /usr/bin/time -f "demo-data: %e s wall, %M kB max RSS" env DATABASE_URL=$url RUST_LOG=warn "$bin" demo-data --enterprises "$n" | head -1
} 2>&1 | tee "$out"
DATABASE_URL=$url BIND=127.0.0.1:18090 RUST_LOG=warn "$bin" > bench/out/server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 3
login() { curl -s 127.0.0.1:18090/api/v1/auth/login -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"Demo-Passw0rd!\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
province=$(login demo.province)
reviewer=$(login demo.hangzhou)
# Milestone ids for the random reads (through the API: the province sees every submitted one).
curl -s -H "Authorization: Bearer $province" "127.0.0.1:18090/api/v1/milestones?limit=500" \
  | python3 -c 'import json,sys; [print(m["id"]) for m in json.load(sys.stdin)["items"]]' > bench/out/ids.txt
run() { # name, then wrk arguments
  local name=$1; shift
  echo "== $name; $(uptime | sed 's/.*load/load/')" | tee -a "$out"
  wrk -t2 -c64 -d10s --latency "$@" | grep -E '^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors' | tee -a "$out"
}
export TOKEN=$province IDS=bench/out/ids.txt
run "GET /milestones/{id} (random of the first 500 ids, province)" -s bench/lua/random_id.lua http://127.0.0.1:18090
run "GET /milestones?state=submitted (Hangzhou reviewer)" -H "Authorization: Bearer $reviewer" "http://127.0.0.1:18090/api/v1/milestones?state=submitted"
cloud="plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022&as_of=2022-12-31"
smart="plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023&as_of=2023-06-30"
run "stats cumulative (cloud), no known_at" -H "Authorization: Bearer $province" "http://127.0.0.1:18090/api/v1/stats/progress?$cloud"
run "stats increment (smart), no known_at" -H "Authorization: Bearer $province" "http://127.0.0.1:18090/api/v1/stats/progress?$smart"
run "stats increment (smart), known_at in the past" -H "Authorization: Bearer $province" "http://127.0.0.1:18090/api/v1/stats/progress?$smart&known_at=2024-01-01T00:00:00Z"
echo "== login storm (8 connections) with reads beside it (56 connections)" | tee -a "$out"
wrk -t1 -c8 -d10s --latency -s bench/lua/login.lua http://127.0.0.1:18090/api/v1/auth/login > bench/out/login.txt &
logins=$!
wrk -t1 -c56 -d10s --latency -H "Authorization: Bearer $reviewer" "http://127.0.0.1:18090/api/v1/milestones?state=submitted" > bench/out/reads.txt
wait $logins
echo "logins:" | tee -a "$out"; grep -E '^\s+(50|99)%|Requests/sec|Non-2xx' bench/out/login.txt | tee -a "$out"
echo "reads beside:" | tee -a "$out"; grep -E '^\s+(50|99)%|Requests/sec|Non-2xx' bench/out/reads.txt | tee -a "$out"
echo "server RSS at the end: $(ps -o rss= -p $pid) kB" | tee -a "$out"
