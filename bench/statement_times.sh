#!/usr/bin/env bash
# What each statement of an approval costs PostgreSQL: on the database `bench/run.sh postgres …`
# left (bench_run; or `enterprise-registry demo-data` into it), logs every statement's duration
# (`log_min_duration_statement = 0` for that database only, reset at the end), lets the city
# reviewers approve records one at a time (one wrk connection) for SECONDS, then prints, per
# statement, how often it ran and its mean parse, bind (planning happens there) and execute
# times, and whether diesel ran it as a prepared (named) statement or re-parsed it (unnamed).
#
#   [BIN=path/to/enterprise-registry] bench/statement_times.sh [SECONDS=10]
#
# One connection, so the times are the statements' own (no lock waits); the log costs some
# throughput. Needs wrk, psql and read access to PostgreSQL's log (Debian: /var/log/postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
source bench/lib.sh
need wrk wrk
export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
bin=${BIN:-${CARGO_TARGET_DIR:-target}/release/enterprise-registry}
url=postgres://postgres@127.0.0.1:5432/bench_run
sql() { psql -h 127.0.0.1 -U postgres -d bench_run -AtqF $'\t' -c "$1"; }
log=${PG_LOG:-/var/log/postgresql/postgresql-15-main.log}
out=bench/out/statements
rm -rf "$out" && mkdir -p "$out"
base=http://127.0.0.1:18098
sql "ALTER DATABASE bench_run SET log_min_duration_statement = 0"
DATABASE_URL=$url BIND=127.0.0.1:18098 RUST_LOG=warn BACKGROUND_TASKS=off "$bin" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; sql "ALTER DATABASE bench_run RESET log_min_duration_statement"' EXIT
wait_ready
declare -A city_token=()
reviewer_tokens
approve_queue > "$out/queue.txt"
from=$(stat -c %s "$log")
echo "queue: $(wc -l < "$out/queue.txt") records; commit $(git rev-parse --short HEAD)"
THREADS=1 QUEUE=$out/queue.txt wrk -t1 -c1 -d${secs}s -s bench/lua/approve.lua $base | tee "$out/wrk.txt" | grep -E "Requests/sec|^approved"
sleep 1
tail -c +"$((from + 1))" "$log" > "$out/postgres.log"
approved=$(sed -n 's/^approved: //p' "$out/wrk.txt")
python3 - "$out/postgres.log" "${approved:-0}" <<'PY'
import re, sys, collections
path, approved = sys.argv[1], int(sys.argv[2])
line = re.compile(r"\] postgres@bench_run LOG:  duration: ([0-9.]+) ms  (parse|bind|execute|statement:)\s*(\S*?):?\s(.*)$")
stats = collections.OrderedDict()
for raw in open(path, encoding="utf-8", errors="replace"):
    m = line.search(raw)
    if not m:
        continue
    ms, phase, name, text = float(m.group(1)), m.group(2), m.group(3), m.group(4)
    if phase == "statement:":
        phase, name, text = "execute", "simple", (name + " " + text).strip()
    key = re.sub(r"\s+", " ", text)[:110]
    s = stats.setdefault(key, {"parse": [0, 0.0], "bind": [0, 0.0], "execute": [0, 0.0], "named": set()})
    s[phase][0] += 1
    s[phase][1] += ms
    s["named"].add("unnamed" if name == "<unnamed>" else ("simple" if name == "simple" else "named"))
total = collections.Counter()
print(f"approved: {approved}")
print(f"{'runs':>6} {'how':8} {'parse ms':>9} {'bind ms':>8} {'exec ms':>8}  statement")
for key, s in sorted(stats.items(), key=lambda kv: -(kv[1]['parse'][1] + kv[1]['bind'][1] + kv[1]['execute'][1])):
    runs = s["execute"][0]
    if runs == 0:
        continue
    mean = lambda p: s[p][1] / s[p][0] if s[p][0] else 0.0
    for p in ("parse", "bind", "execute"):
        total[p] += s[p][1]
    print(f"{runs:6d} {'/'.join(sorted(s['named'])):8} {mean('parse'):9.3f} {mean('bind'):8.3f} {mean('execute'):8.3f}  {key}")
if approved:
    print("per approval (ms): " + ", ".join(f"{p} {total[p] / approved:.3f}" for p in ("parse", "bind", "execute"))
          + f", all {sum(total.values()) / approved:.3f}")
PY
