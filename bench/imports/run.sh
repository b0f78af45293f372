#!/usr/bin/env bash
# Issue 15's benchmark: imports a generated official list of ROWS rows (default 100,000) into a
# fresh database with the release binary's `import` command, and prints the wall time and the
# peak RSS (GNU time's "Maximum resident set size"). Not a test: numbers go to docs/BENCHMARKS.md.
#
#   bench/imports/run.sh sqlite [ROWS]
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres bench/imports/run.sh postgres [ROWS]
#
# PostgreSQL: a database `bench_imports_<pid>` is created through PG_ADMIN_URL and dropped after.
set -euo pipefail
backend=${1:?sqlite or postgres}
rows=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && cargo build --release --bin enterprise-registry >&2)
bin="$target/release/enterprise-registry"
python3 "$here/generate.py" "$rows" "$work/list.csv"
echo "list: $rows rows, $(stat -c %s "$work/list.csv") bytes" >&2

case "$backend" in
  sqlite) url="sqlite://$work/registry.db" ;;
  postgres)
    admin=${PG_ADMIN_URL:?set PG_ADMIN_URL}
    db="bench_imports_$$"
    psql "$admin" -qc "CREATE DATABASE $db" >&2
    trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >&2; rm -rf "$work"' EXIT
    url="${admin%/*}/$db"
    ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac

# Schema and reference data first, so that the measured run is the import alone.
DATABASE_URL="$url" RUST_LOG=warn "$bin" migrate >&2
DATABASE_URL="$url" RUST_LOG=warn /usr/bin/time -v "$bin" import "$work/list.csv" >"$work/report.json" 2>"$work/time.txt"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"rows {r['rows']}, created_enterprises {r['created_enterprises']}, created_records {r['created_records']}, errors {len(r['errors'])}")
PY
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$work/time.txt"
