#!/usr/bin/env bash
# First measurements of /stats/progress on a demo-data database (wrk must be installed:
# apt-get install wrk). Usage: bench/stats.sh DATABASE_URL PORT
B=${REGISTRY_BIN:-target/release/enterprise-registry}
DATABASE_URL=$1 BIND=127.0.0.1:$2 RUST_LOG=warn $B > /tmp/statbench-$2.log 2>&1 &
PID=$!; sleep 3
TOKEN=$(curl -s 127.0.0.1:$2/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"demo.province","password":"Demo-Passw0rd!"}' | python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
CLOUD="plan=ZJ2018-SZJJ&indicator=cloud_adoption_enterprises&year=2022&as_of=2022-12-31"
SMART="plan=ZJ2023-GWR&indicator=smart_factories_and_digital_workshops&year=2023&as_of=2023-06-30"
for name in CLOUD SMART; do
  q=${!name}
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "127.0.0.1:$2/api/v1/stats/progress?$q"
  for c in 1 8; do
    echo "== $name, $c connection(s), no known_at"
    wrk -t1 -c$c -d6s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$2/api/v1/stats/progress?$q" | grep -E "^\s+(50|99)%|Requests/sec|Non-2xx"
  done
  echo "== $name, known_at=2024-01-01T00:00:00Z, 3 sequential requests"
  for i in 1 2 3; do curl -s -o /dev/null -w "%{time_total}s %{http_code}\n" -H "Authorization: Bearer $TOKEN" "127.0.0.1:$2/api/v1/stats/progress?$q&known_at=2024-01-01T00:00:00Z"; done
done
echo "== server RSS: $(ps -o rss= -p $PID) kB"
kill $PID
