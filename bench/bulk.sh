#!/usr/bin/env bash
# Bulk submission benchmark of issue 16 (DESIGN §3.9: ≥ 2,000 items/s on PostgreSQL with 8
# concurrent batches of 500): builds the release binary, generates the demo data set on a fresh
# database, delegates `iip_platform` of 4,000 × RUNS verified enterprises to the demo provider
# 阿里云 (set up with SQL: not measured), gives the provider a machine client, then RUNS times
# sends 8 concurrent `POST /bulk/milestones` of 500 items (created and submitted, each batch for
# 500 enterprises of its own) and reports items per second (wall time of the 8 requests).
#
#   bench/bulk.sh [sqlite|postgres] [ENTERPRISES=500000] [RUNS=3]
#
# Outputs: bench/out/bulk-<backend>/ (meta, per-run timings and result counts).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-postgres}
n=${2:-500000}
runs=${3:-3}
source bench/lib.sh
need curl curl
case $backend in
  sqlite) need sqlite3 sqlite3 ;;
  postgres) need psql postgresql-client ;;
  *) echo "usage: bench/bulk.sh [sqlite|postgres] [ENTERPRISES] [RUNS]"; exit 2 ;;
esac
cargo build --release --locked --bin enterprise-registry
bin=${CARGO_TARGET_DIR:-target}/release/enterprise-registry
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
out=bench/out/bulk-$backend
mkdir -p "$out" && rm -f "$out"/batch-* "$out"/result-* "$out"/timing-*
port=18092
base=http://127.0.0.1:$port
# REUSE=1 keeps the database of a previous run (demo data and delegations already there).
reuse=${REUSE:-0}
case $backend in
  sqlite)
    [ "$reuse" = 1 ] || rm -f /tmp/bench-bulk.db*
    url=sqlite:///tmp/bench-bulk.db
    sql() { sqlite3 -batch -separator $'\t' /tmp/bench-bulk.db "$1"; }
    sql_file() { sqlite3 /tmp/bench-bulk.db < "$1"; } ;;
  postgres)
    [ "$reuse" = 1 ] || psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS bench_bulk' -c 'CREATE DATABASE bench_bulk'
    url=postgres://postgres@127.0.0.1:5432/bench_bulk
    sql() { psql -h 127.0.0.1 -U postgres -d bench_bulk -AtqF $'\t' -c "$1"; }
    sql_file() { psql -h 127.0.0.1 -U postgres -d bench_bulk -q -f "$1"; } ;;
esac
{
  echo "command: bench/bulk.sh $backend $n $runs"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "date: $(date -u +%FT%TZ)"
  echo "nproc: $(nproc)"
} > "$out/meta.txt"
[ "$reuse" = 1 ] || env DATABASE_URL=$url RUST_LOG=warn "$bin" demo-data --enterprises "$n" > "$out/demo-data.log"

delegate_to_aliyun $((4000 * runs))

DATABASE_URL=$url BIND=127.0.0.1:$port RUST_LOG=warn "$bin" > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
wait_ready
provider_client

for run in $(seq "$runs"); do
  token=$(provider_token)
  # 8 bodies of 500 items, each for 500 enterprises of its own.
  bulk_bodies 8 "$run"
  start=$(date +%s.%N)
  for b in $(seq 0 7); do
    curl -s -o "$out/result-$run-$b.json" -w '%{http_code} %{time_total}\n' "$base/api/v1/bulk/milestones" \
      -H "Authorization: Bearer $token" -H "Idempotency-Key: bench-$run-$b" \
      -H 'content-type: application/json' --data-binary "@$out/batch-$run-$b.json" > "$out/timing-$run-$b.txt" &
  done
  wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
  end=$(date +%s.%N)
  created=$(python3 -c "
import glob, json
print(sum(r['status'] == 201 for f in glob.glob('$out/result-$run-*.json') for r in json.load(open(f)).get('results', [])))")
  python3 -c "s=$end-$start; print(f'run $run: {s:.2f} s, $created of 4000 created, {4000/s:.0f} items/s')" | tee -a "$out/meta.txt"
done
echo "server RSS: $(ps -o rss= -p $pid | xargs) kB" >> "$out/meta.txt"
cat "$out/meta.txt"
