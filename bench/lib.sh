# Shared steps of the benchmark scripts (bench/run.sh, bench/ab_writes.sh); sourced, not run.
# Expects `base` (the service's URL), `out` (the output folder) and `sql` (a function running one
# query against the benchmark database) to be set by the caller.

# Waits (up to 20 s) until the service at $base answers /readyz.
wait_ready() { for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && return; sleep 0.2; done; }

# The A/B scripts' arguments, BACKEND ENTERPRISES RUNS SECONDS BIN_A BIN_B, into `backend`, `n`,
# `runs`, `secs` and `bin[A]`, `bin[B]` (or the script's usage, its lines 2-10, and exit 2);
# installs wrk and curl.
ab_args() {
  [ $# -eq 6 ] || { sed -n 2,10p "$0"; exit 2; }
  need wrk wrk
  need curl curl
  backend=$1 n=$2 runs=$3 secs=$4
  declare -gA bin=([A]=$5 [B]=$6)
}

# A fresh, empty benchmark database named $2 on backend $1 (sqlite: the file /tmp/$2.db;
# postgres: database $2 on the local server): sets `url` and defines `sql`. Installs the client.
fresh_db() {
  case $1 in
    sqlite)
      need sqlite3 sqlite3
      db_file=/tmp/$2.db
      rm -f "$db_file"*
      url=sqlite://$db_file
      sql() { sqlite3 -batch -separator $'\t' "$db_file" "$1"; } ;;
    postgres)
      need psql postgresql-client
      db_name=$2
      psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db_name" -c "CREATE DATABASE $db_name"
      url=postgres://postgres@127.0.0.1:5432/$db_name
      sql() { psql -h 127.0.0.1 -U postgres -d "$db_name" -AtqF $'\t' -c "$1"; } ;;
    *) echo "backend: sqlite or postgres"; exit 2 ;;
  esac
}

# Starts build $1 on $url, listening at $base (its log appended to $out/server.log); sets `pid`.
start_service() {
  DATABASE_URL=$url BIND=${base#http://} RUST_LOG=warn "$1" >> "$out/server.log" 2>&1 &
  pid=$!
  wait_ready
  curl -sf "$base/readyz" >/dev/null || { echo "server did not start"; exit 1; }
}

# Stops the service started last.
stop_service() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

# Installs Debian package $2 when command $1 is missing.
need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2"; }; }

# Prints field $1 (a Python subscript such as '["access_token"]') of the JSON on stdin.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# An access token of demo user $1.
login() { curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"Demo-Passw0rd!\"}" | json '["access_token"]'; }

# The demo's city reviewers ("username<TAB>city") into $out/reviewers.txt.
list_reviewers() {
  sql "SELECT username, city_code FROM users WHERE role = 'city_reviewer' AND username LIKE 'demo.%'" > "$out/reviewers.txt"
}

# The city reviewers' fresh tokens into city_token (declared by the caller), and no API clients.
reviewer_tokens() {
  : > "$out/clients.txt"
  list_reviewers
  fresh_tokens
}

# API clients of 200 random verified enterprises (created once, by demo.admin) into
# $out/clients.txt, and the city reviewers' logins into $out/reviewers.txt.
make_actors() {
  local admin
  admin=$(login demo.admin)
  sql "SELECT id FROM enterprises WHERE verified ORDER BY random() LIMIT 200" | while read -r eid; do
    curl -sf "$base/api/v1/enterprises/$eid/clients" -H "Authorization: Bearer $admin" \
      -H 'content-type: application/json' -d '{"name":"ERP 压测"}' \
      | python3 -c "import json,sys; c=json.load(sys.stdin); print(c['client_id'], c['client_secret'], '$eid')"
  done > "$out/clients.txt"
  list_reviewers
}

# Fresh tokens (they live 15 minutes): the clients' into $out/actors.txt ("token<TAB>enterprise"),
# the city reviewers' into the associative array city_token (declared by the caller).
fresh_tokens() {
  local id secret eid token user city
  while read -r id secret eid; do
    token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
      -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$id\",\"client_secret\":\"$secret\"}" | json '["access_token"]')
    printf '%s\t%s\n' "$token" "$eid"
  done < "$out/clients.txt" > "$out/actors.txt"
  while IFS=$'\t' read -r user city; do city_token[$city]=$(login "$user"); done < "$out/reviewers.txt"
}

# The demo provider 阿里云 (fixed id) and, by SQL (set-up, not measured), a delegation of type
# $2 (default `iip_platform`) to it from $1 verified enterprises that delegated nothing yet and
# have no record of that type, listed in $out/enterprises.txt. Expects `sql` and `sql_file`
# (runs a file of statements).
aliyun=01800000-0000-7000-8000-000000000001
delegate_to_aliyun() {
  local type=${2:-iip_platform}
  sql "SELECT e.id FROM enterprises e WHERE e.verified AND NOT EXISTS (SELECT 1 FROM delegations d WHERE d.enterprise_id = e.id) AND NOT EXISTS (SELECT 1 FROM milestones m WHERE m.enterprise_id = e.id AND m.milestone_type = '$type') ORDER BY e.id LIMIT $1" > "$out/enterprises.txt"
  python3 - "$out/enterprises.txt" "$aliyun" "$type" > "$out/delegations.sql" <<'PY'
import sys, uuid
ids = [l.strip() for l in open(sys.argv[1]) if l.strip()]
p, t = sys.argv[2], sys.argv[3]
print("BEGIN;")
for e in ids:
    d = str(uuid.uuid4())
    print(f"INSERT INTO delegations (id, enterprise_id, provider_id, expires_on, created_at, created_by) VALUES ('{d}', '{e}', '{p}', NULL, '2025-01-01 00:00:00', '{e}');")
    print(f"INSERT INTO delegation_types (delegation_id, milestone_type, provider_id, enterprise_id, scope_key) VALUES ('{d}', '{t}', '{p}', '{e}', '{e}:{t}');")
print("COMMIT;")
PY
  sql_file "$out/delegations.sql"
}

# Bodies of `POST /bulk/milestones` into $out/batch-$2-<b>.json: $1 batches of 500 items (created
# and submitted), batch b of run $2 for enterprises of its own from $out/enterprises.txt; type
# and level $3 and $4 (default `iip_platform`, `industry`).
bulk_bodies() {
  python3 - "$out/enterprises.txt" "$2" "$out" "$1" "${3:-iip_platform}" "${4:-industry}" <<'PY'
import json, sys
ids = [l.strip() for l in open(sys.argv[1]) if l.strip()]
run, out, batches, kind, level = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
first = (run - 1) * batches * 500
for b in range(batches):
    chunk = ids[first + b * 500:first + (b + 1) * 500]
    items = [{"enterprise_id": e, "type": kind, "level": level, "effective_on": "2025-06-01",
              "title": f"{kind} {run}-{b}-{i}", "submit": True} for i, e in enumerate(chunk)]
    json.dump({"items": items}, open(f"{out}/batch-{run}-{b}.json", "w"), ensure_ascii=False)
PY
}

# The approve queue, shuffled, on stdout: "milestone_id<TAB>token" for every submitted record its
# city's reviewer decides for good (at the `city` stage of a city-only chain: an approval there is
# final — elsewhere a city reviewer recommends, or is refused), with the token of that reviewer
# from the associative array city_token; $1 narrows it further (an SQL condition).
approve_queue() {
  sql "SELECT id, city_code FROM milestones WHERE state = 'submitted' AND stage = 'city' AND review_chain = 'city' ${1:+AND $1} ORDER BY random()" \
    | while IFS=$'\t' read -r id city; do printf '%s\t%s\n' "$id" "${city_token[$city]}"; done
}

# A machine client of 阿里云, made by demo.admin: sets client_id and client_secret.
provider_client() {
  local client
  client=$(curl -sf "$base/api/v1/providers/$aliyun/clients" -H "Authorization: Bearer $(login demo.admin)" \
    -H 'content-type: application/json' -d '{"name":"压测"}')
  client_id=$(echo "$client" | json '["client_id"]'); client_secret=$(echo "$client" | json '["client_secret"]')
}

# An access token of that client.
provider_token() {
  curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$client_id\",\"client_secret\":\"$client_secret\"}" | json '["access_token"]'
}

# Run $1's 12,000 `cloud_adoption` records (decided by the city, no 公示) submitted by 阿里云 for
# enterprises delegated by `delegate_to_aliyun 12000*RUNS cloud_adoption`: 24 bulk requests of
# 500, three at a time (set-up, not measured).
bulk_submit_cloud() {
  local token b sent=()
  bulk_bodies 24 "$1" cloud_adoption on_cloud
  token=$(provider_token)
  for b in $(seq 0 23); do
    curl -s -o /dev/null "$base/api/v1/bulk/milestones" -H "Authorization: Bearer $token" -H "Idempotency-Key: cloud-$1-$b" \
      -H 'content-type: application/json' --data-binary "@$out/batch-$1-$b.json" &
    sent+=($!)
    if [ $((b % 3)) -eq 2 ]; then wait "${sent[@]}"; sent=(); fi
  done
}
