#!/usr/bin/env bash
# Load test on loopback only: gunicorn (production mode) and, with REDIS_URL, a Celery worker,
# against the given DATABASE_URL/REDIS_URL; seeds the demo, prepares logins and an API token,
# runs locust headless with bounded users and time, and prints requests, failures and p95.
# Exits non-zero if any request failed.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/redefine_load \
#   REDIS_URL=redis://127.0.0.1:6379/13 loadtest/run.sh [USERS=50] [DURATION=5m]
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-50}
duration=${2:-5m}
# shellcheck source=loadtest/common.sh
source loadtest/common.sh
prepare_database

echo "== starting gunicorn on 127.0.0.1:$port"
start_gunicorn "${LOAD_WORKERS:-4}"
if [ -n "${REDIS_URL:-}" ]; then
  "$bin/celery" -A config worker -l warning -c 1 -n "load@%h" >"$workdir/worker.log" 2>&1 &
  pids+=($!)
fi
wait_for_gunicorn

echo "== locust: $users users for $duration"
status=0
LOAD_CAST="$workdir/cast.json" "$bin/locust" -f loadtest/locustfile.py --headless \
  -u "$users" -r "${LOAD_SPAWN_RATE:-10}" -t "$duration" --stop-timeout 10 \
  --host "http://127.0.0.1:$port" --csv "$workdir/load" --only-summary \
  --exit-code-on-error 1 >"$workdir/locust.log" 2>&1 || status=$?
grep -E "LOAD SUMMARY|Error|Traceback" "$workdir/locust.log" | head -20 || true
"$bin/python" - "$workdir/load_stats.csv" "$workdir/load_failures.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"requests={total['Request Count']} failures={total['Failure Count']} "
      f"p95_ms={total['95%']} median_ms={total['50%']} rps={float(total['Requests/s']):.1f}")
for r in rows:
    if r["Name"] != "Aggregated":
        print(f"  {r['Type']:<5} {r['Name']:<40} n={r['Request Count']:<6} "
              f"fail={r['Failure Count']:<4} p95={r['95%']}ms")
for f in csv.DictReader(open(sys.argv[2])):
    print(f"  FAILURE {f['Method']} {f['Name']}: {f['Error']} x{f['Occurrences']}")
PY
if [ "$status" != 0 ]; then
  echo "== load test failed (exit $status); gunicorn log tail:"; tail -n 30 "$workdir/gunicorn.log"
fi
exit "$status"
