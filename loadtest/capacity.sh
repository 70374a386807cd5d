#!/usr/bin/env bash
# Capacity on loopback: the same gunicorn serves, one phase after the other and closed-loop,
# a bare Django view (the floor), the HR read mix and the supervisor page mix; then a login
# ramp runs beside both mixes. Prints requests/s per core for each and each mix ÷ the floor,
# and the p95 of non-login requests during the ramp. Exits non-zero if any request failed.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/redefine_load \
#   REDIS_URL=redis://127.0.0.1:6379/13 loadtest/capacity.sh [USERS=8] [PHASE=30s]
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-8}
phase=${2:-30s}
bin=.venv/bin
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
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false TRUSTED_PROXIES=127.0.0.1
export DJANGO_SETTINGS_MODULE=loadtest.settings API_THROTTLE_RATE=1000000/min AXES_ENABLED=false
SECRET_KEY=$("$bin/python" -c "import secrets; print(secrets.token_urlsafe(50))")
WEBHOOK_SECRET_KEY=$("$bin/python" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY WEBHOOK_SECRET_KEY

echo "== preparing the database"
"$bin/python" manage.py migrate --no-input -v0
"$bin/python" manage.py collectstatic --no-input -v0
"$bin/python" manage.py seed_demo ${LOAD_SEED_ARGS:-} >/dev/null
"$bin/python" loadtest/prepare.py "$workdir/cast.json"

workers=${LOAD_WORKERS:-$(nproc)}
echo "== gunicorn on 127.0.0.1:$port, $workers workers"
"$bin/gunicorn" config.wsgi:application --bind "127.0.0.1:$port" --workers "$workers" \
  --timeout 60 --access-logfile /dev/null >"$workdir/gunicorn.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$workdir/gunicorn.log"; exit 1; }
  curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 0.5
done

status=0
run_phase() {  # name, users, spawn rate, user classes...
  local name=$1 n=$2 rate=$3; shift 3
  LOAD_CAST="$workdir/cast.json" PYTHONPATH=. "$bin/locust" -f loadtest/capacity.py --headless \
    -u "$n" -r "$rate" -t "$phase" --stop-timeout 5 --host "http://127.0.0.1:$port" \
    --only-summary --exit-code-on-error 1 "$@" >"$workdir/$name.log" 2>&1 || status=$?
  line=$(grep -m1 CAPACITY "$workdir/$name.log" || echo "CAPACITY missing")
  echo "$name $line"
}
run_phase floor "$users" "$users" BareView
run_phase hr "$users" "$users" HrReads
run_phase supervisor "$users" "$users" SupervisorPages
# The ramp: users arrive one per second, a third of them logging in over and over.
run_phase ramp $((users * 3)) 1 HrReads SupervisorPages LoginRamp | tee "$workdir/ramp.txt"
"$bin/python" - "$workdir" <<'PY'
import re, sys
from pathlib import Path
d = Path(sys.argv[1])
def field(name, key):
    m = re.search(rf"{key}=([\d.]+)", (d / f"{name}.log").read_text())
    return float(m.group(1)) if m else None
floor = field("floor", "rps_per_core")
for name in ("hr", "supervisor"):
    rps = field(name, "rps_per_core")
    ratio = f"{rps / floor:.3f}×" if rps and floor else "–"
    print(f"{name} mix: {rps} req/s per core; bare view {floor} → {ratio} (target HR ≥ 0.5×)")
print(f"login ramp: p95 of non-login requests {field('ramp', 'non_login_p95_ms')} ms")
PY
exit "$status"
