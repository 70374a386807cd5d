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
bin=.venv/bin
# A free port unless one is given: other servers may already listen on this machine.
port=${LOAD_PORT:-$("$bin/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
: "${DATABASE_URL:?set DATABASE_URL (the database is migrated and seeded)}"
workdir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$workdir"
}
trap cleanup EXIT

# Production mode, with a per-run secret; TLS is pretended by the locustfile's proxy header,
# which the app believes only because locust connects from the address named as the proxy.
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false TRUSTED_PROXIES=127.0.0.1
export DJANGO_SETTINGS_MODULE=loadtest.settings
SECRET_KEY=$("$bin/python" -c "import secrets; print(secrets.token_urlsafe(50))")
WEBHOOK_SECRET_KEY=$("$bin/python" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY WEBHOOK_SECRET_KEY

echo "== preparing the database"
"$bin/python" manage.py migrate --no-input -v0
"$bin/python" manage.py collectstatic --no-input -v0
"$bin/python" manage.py seed_demo ${LOAD_SEED_ARGS:-} >/dev/null
"$bin/python" loadtest/prepare.py "$workdir/cast.json"

echo "== starting gunicorn on 127.0.0.1:$port"
"$bin/gunicorn" config.wsgi:application --bind "127.0.0.1:$port" --workers "${LOAD_WORKERS:-4}" \
  --timeout 60 --access-logfile /dev/null >"$workdir/gunicorn.log" 2>&1 &
pids+=($!)
if [ -n "${REDIS_URL:-}" ]; then
  "$bin/celery" -A config worker -l warning -c 1 -n "load@%h" >"$workdir/worker.log" 2>&1 &
  pids+=($!)
fi
gunicorn_pid=${pids[0]}
for _ in $(seq 1 60); do
  kill -0 "$gunicorn_pid" 2>/dev/null || { echo "gunicorn did not start:"; cat "$workdir/gunicorn.log"; exit 1; }
  curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 0.5
done

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
