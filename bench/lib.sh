# Shared steps of the benchmark scripts (bench/run.sh, bench/ab_writes.sh); sourced, not run.
# Expects `base` (the service's URL), `out` (the output folder) and `sql` (a function running one
# query against the benchmark database) to be set by the caller.

# Installs Debian package $2 when command $1 is missing.
need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2"; }; }

# Prints field $1 (a Python subscript such as '["access_token"]') of the JSON on stdin.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# An access token of demo user $1.
login() { curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"$1\",\"password\":\"Demo-Passw0rd!\"}" | json '["access_token"]'; }

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
  sql "SELECT username, city_code FROM users WHERE role = 'city_reviewer' AND username LIKE 'demo.%'" > "$out/reviewers.txt"
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
