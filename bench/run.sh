#!/usr/bin/env bash
# Benchmark harness of issue 7: builds the release binary, generates the provincial demo data set
# on a fresh database, starts the service and drives it with wrk, RUNS times per scenario, then
# writes the medians into docs/BENCHMARKS.md (the section of this backend) via bench/report.py.
# Beside the registry it starts the reference service (bench/reference/main.rs: JWT check + PK
# read; conditional update + counter) on the same database and runs the same read and approve
# scenarios against it, so the report gives the registry's figures as a ratio of it, same run.
#
#   bench/run.sh [sqlite|postgres] [ENTERPRISES=500000] [RUNS=3] [SECONDS=10]
#
# Raw wrk outputs: bench/out/<backend>/<scenario>.<run>.txt. Needs wrk, curl, python3 and the
# sqlite3 / psql command-line clients (installed from Debian's packages if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-500000}
runs=${3:-3}
secs=${4:-10}
source bench/lib.sh
need wrk wrk
need curl curl
case $backend in
  sqlite) need sqlite3 sqlite3 ;;
  postgres) need psql postgresql-client ;;
  *) echo "usage: bench/run.sh [sqlite|postgres] [ENTERPRISES] [RUNS] [SECONDS]"; exit 2 ;;
esac
cargo build --release --locked --bin enterprise-registry --example reference
bin=${CARGO_TARGET_DIR:-target}/release/enterprise-registry
refbin=${CARGO_TARGET_DIR:-target}/release/examples/reference
# One secret for both services, so the reference checks the registry's tokens.
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src migrations Cargo.toml Cargo.lock || commit="$commit+uncommitted"
out=bench/out/$backend
rm -rf "$out" && mkdir -p "$out"
port=18090
base=http://127.0.0.1:$port
refbase=http://127.0.0.1:18091
case $backend in
  sqlite)
    rm -f /tmp/bench-run.db*
    url=sqlite:///tmp/bench-run.db
    sql() { sqlite3 -batch -separator $'\t' /tmp/bench-run.db "$1"; } ;;
  postgres)
    psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS bench_run' -c 'CREATE DATABASE bench_run'
    url=postgres://postgres@127.0.0.1:5432/bench_run
    sql() { psql -h 127.0.0.1 -U postgres -d bench_run -AtqF $'\t' -c "$1"; } ;;
esac

{
  echo "command: bench/run.sh $backend $n $runs $secs"
  echo "commit: $commit"
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "load before demo-data: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/meta.txt"
/usr/bin/time -f "demo-data: %e s wall, %M kB max RSS" -a -o "$out/meta.txt" \
  env DATABASE_URL=$url RUST_LOG=warn "$bin" demo-data --enterprises "$n" > "$out/demo-data.log"
tail -1 "$out/meta.txt"

DATABASE_URL=$url BIND=127.0.0.1:$port RUST_LOG=warn "$bin" > "$out/server.log" 2>&1 &
pid=$!
DATABASE_URL=$url BIND=127.0.0.1:18091 "$refbin" > "$out/reference.log" 2>&1 &
refpid=$!
trap 'kill $pid $refpid 2>/dev/null || true' EXIT
wait_ready
for _ in $(seq 100); do curl -sf $refbase/healthz >/dev/null && break; sleep 0.2; done
echo "server RSS after start: $(ps -o rss= -p $pid | xargs) kB" >> "$out/meta.txt"

# Random ids across the whole table (not drafts: officials never see them), and API clients of 200 random enterprises (created once).
sql "SELECT id FROM milestones WHERE state <> 'draft' ORDER BY random() LIMIT 20000" > "$out/ids.txt"
make_actors

# One scenario run: name, then wrk arguments. The file gets the load before, wrk's output, and
# the server's RSS and peak RSS (VmHWM) after.
scenario() {
  local name=$1; shift
  local file=$out/$name.$run.txt
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$file"
  wrk -t2 -c64 -d${secs}s --latency "$@" >> "$file" 2>&1 || true
  rss >> "$file"
  echo "$name.$run: $(grep -E 'Requests/sec' "$file" | xargs)"
}
rss() { echo "rss_kb: $(grep VmRSS /proc/$pid/status | awk '{print $2}')"; echo "hwm_kb: $(grep VmHWM /proc/$pid/status | awk '{print $2}')"; }
cloud="plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022&as_of=2022-12-31"
smart="plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023&as_of=2023-06-30"
past="known_at=2024-01-15T00:00:00Z"

# The approve queues, drawn once and shared out between the runs: the records a city reviewer
# decides for good (the registry's), and the other submitted records (the reference's).
cond="stage = 'city' AND review_chain = 'city'"
sql "SELECT id, city_code FROM milestones WHERE state = 'submitted' AND $cond ORDER BY random()" > "$out/pool.txt"
sql "SELECT id, city_code FROM milestones WHERE state = 'submitted' AND NOT ($cond) ORDER BY random()" > "$out/ref_pool.txt"

for run in $(seq "$runs"); do
  # Fresh tokens each run (they live 15 minutes).
  province=$(login demo.province)
  reviewer=$(login demo.hangzhou)
  declare -A city_token=()
  fresh_tokens

  TOKEN=$province IDS=$out/ids.txt scenario read_by_id -s bench/lua/random_id.lua $base
  TOKEN=$province IDS=$out/ids.txt scenario ref_read_by_id -s bench/lua/random_id.lua $refbase
  scenario review_queue -H "Authorization: Bearer $reviewer" "$base/api/v1/milestones?state=submitted"
  scenario stats_cumulative -H "Authorization: Bearer $province" "$base/api/v1/stats/progress?$cloud"
  scenario stats_increment -H "Authorization: Bearer $province" "$base/api/v1/stats/progress?$smart"
  ACTORS=$out/actors.txt scenario create_submit -s bench/lua/create_submit.lua $base
  # This run's share of the records the city reviewers decide for good, with their reviewers'
  # fresh tokens (the shares were drawn once, before the first run, so no run finds its queue
  # emptied by an earlier run's reference).
  awk -F'\t' -v r="$run" -v n="$runs" 'NR % n == r % n { print $1 "\t" $2 }' "$out/pool.txt" \
    | while IFS=$'\t' read -r id city; do printf '%s\t%s\n' "$id" "${city_token[$city]}"; done > "$out/queue.txt"
  echo "approve queue: $(wc -l < "$out/queue.txt")" >> "$out/meta.txt"
  THREADS=2 QUEUE=$out/queue.txt scenario approve -s bench/lua/approve.lua $base
  # The reference approves this run's share of the other submitted records (it checks no stage,
  # and writes no history, audit or statistics: the statistics scenarios below read aggregates
  # that no longer count these records, which does not change their cost).
  awk -F'\t' -v r="$run" -v n="$runs" 'NR % n == r % n { print $1 "\t" $2 }' "$out/ref_pool.txt" \
    | while IFS=$'\t' read -r id city; do printf '%s\t%s\n' "$id" "${city_token[$city]}"; done > "$out/ref_queue.txt"
  echo "reference queue: $(wc -l < "$out/ref_queue.txt")" >> "$out/meta.txt"
  THREADS=2 QUEUE=$out/ref_queue.txt scenario ref_approve -s bench/lua/approve.lua $refbase
  # The first statistics request after writes misses the cache: one request each, timed.
  for q in cumulative:$cloud increment:$smart; do
    curl -s -o /dev/null -w "${q%%:*} cache miss: %{time_total} s\n" -H "Authorization: Bearer $province" \
      "$base/api/v1/stats/progress?${q#*:}" >> "$out/stats_miss.$run.txt"
  done
  # Historical statistics at the concurrency the service admits (2; beyond it answers 503).
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/stats_known_at_cumulative.$run.txt"
  wrk -t2 -c2 -d${secs}s --latency -H "Authorization: Bearer $province" "$base/api/v1/stats/progress?$cloud&$past" \
    >> "$out/stats_known_at_cumulative.$run.txt" 2>&1 || true
  rss >> "$out/stats_known_at_cumulative.$run.txt"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out/stats_known_at_increment.$run.txt"
  wrk -t2 -c2 -d${secs}s --latency -H "Authorization: Bearer $province" "$base/api/v1/stats/progress?$smart&$past" \
    >> "$out/stats_known_at_increment.$run.txt" 2>&1 || true
  rss >> "$out/stats_known_at_increment.$run.txt"
  # A login storm (8 connections) with steady reads beside it (16 connections, ~1,000 req/s).
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/logins.$run.txt" > "$out/reads_beside_logins.$run.txt"
  wrk -t1 -c8 -d${secs}s --latency -s bench/lua/login.lua $base/api/v1/auth/login >> "$out/logins.$run.txt" 2>&1 &
  storm=$!
  TOKEN=$province IDS=$out/ids.txt PAUSE_MS=16 wrk -t1 -c16 -d${secs}s --latency -s bench/lua/paced_reads.lua $base \
    >> "$out/reads_beside_logins.$run.txt" 2>&1 || true
  wait $storm || true
  rss | tee -a "$out/logins.$run.txt" >> "$out/reads_beside_logins.$run.txt"
done
echo "server RSS at the end: $(ps -o rss= -p $pid | xargs) kB" >> "$out/meta.txt"
python3 bench/report.py "$backend" "$out" docs/BENCHMARKS.md
