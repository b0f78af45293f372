#!/usr/bin/env bash
# Fuzzes the served contract with schemathesis, once per role, against a fresh demo database,
# and fails if any request was answered 5xx.
#
#   scripts/fuzz.sh                       # SQLite, 500 enterprises, 20 examples per operation
#   ENTERPRISES=2000 EXAMPLES=50 scripts/fuzz.sh
#   FUZZ_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fuzz scripts/fuzz.sh   # an EMPTY database
#   BIN=target/debug/enterprise-registry scripts/fuzz.sh                        # skip the release build
#
# Needs schemathesis 4 (`pip install schemathesis`). Per role it writes a HAR file and the
# schemathesis output to $OUT (default bench/out/fuzz-<time>/) and prints one line per role:
# requests sent, how many of them answered 4xx and 5xx. Exit status 1 when any 5xx was seen.
set -euo pipefail

cd "$(dirname "$0")/.."
ENTERPRISES=${ENTERPRISES:-500}
EXAMPLES=${EXAMPLES:-20}
PORT=${PORT:-18089}
# One worker: with several, hypothesis has hit a CPython 3.11 AST race (a runtime error of the
# fuzzer itself, not of the service).
WORKERS=${FUZZ_WORKERS:-1}
OUT=${OUT:-bench/out/fuzz-$(date +%Y%m%d-%H%M%S)}
PASSWORD='Demo-Passw0rd!'
ROLES=(anonymous demo.enterprise demo.hangzhou demo.xihu demo.province demo.admin demo.auditor)

command -v schemathesis >/dev/null || { echo "schemathesis is not installed: pip install schemathesis" >&2; exit 2; }
if [[ -z "${BIN:-}" ]]; then
    cargo build --release --quiet
    BIN=target/release/enterprise-registry
fi
mkdir -p "$OUT"
work=$(mktemp -d)
server=""
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL=${FUZZ_DATABASE_URL:-sqlite://$work/fuzz.db}
export RUST_LOG=${RUST_LOG:-warn}
# The fuzzer logs in and registers far more often than a person: keep the throttles out of its way
# (they answer 401/429, which would hide the operations behind them).
export LOCKOUT_THRESHOLD=1000000 REGISTRATION_LIMIT=1000000

echo "demo data: $ENTERPRISES enterprises ($DATABASE_URL)"
"$BIN" demo-data --enterprises "$ENTERPRISES" >"$OUT/demo-data.txt" 2>&1

BIND=127.0.0.1:$PORT JWT_SECRET=fuzz-secret-of-at-least-thirty-two-bytes! "$BIN" serve >"$OUT/server.log" 2>&1 &
server=$!
base=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do
    curl -fs "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "$base/readyz" >/dev/null || { echo "the service did not start; see $OUT/server.log" >&2; exit 2; }

token() {
    curl -fs "$base/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Requests, 4xx and 5xx in a HAR file.
count() {
    python3 - "$1" <<'EOF'
import json, sys
entries = json.load(open(sys.argv[1]))["log"]["entries"]
statuses = [e["response"]["status"] for e in entries]
print(len(statuses), sum(400 <= s < 500 for s in statuses), sum(s >= 500 for s in statuses))
EOF
}

failed=0
summary=()
for role in "${ROLES[@]}"; do
    headers=()
    if [[ "$role" != anonymous ]]; then
        headers=(-H "Authorization: Bearer $(token "$role")")
    fi
    echo "== $role"
    set +e
    schemathesis run "$base/api/v1/openapi.yaml" --url "$base" "${headers[@]}" \
        --checks not_a_server_error --max-examples "$EXAMPLES" --workers "$WORKERS" --seed 21 \
        --suppress-health-check all --warnings off --continue-on-failure \
        --report har --report-har-path "$OUT/$role.har" >"$OUT/$role.txt" 2>&1
    status=$?
    set -e
    read -r requests client server_errors < <(count "$OUT/$role.har")
    line="$role: $requests requests, $client answered 4xx, $server_errors answered 5xx (schemathesis exit $status)"
    echo "$line"
    summary+=("$line")
    if [[ "$server_errors" != 0 || "$status" != 0 ]]; then failed=1; fi
done

echo
printf '%s\n' "${summary[@]}" | tee "$OUT/summary.txt"
if [[ $failed != 0 ]]; then
    echo "5xx or failed checks: see $OUT/<role>.txt and .har" >&2
    exit 1
fi
