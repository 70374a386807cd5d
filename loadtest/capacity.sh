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
# shellcheck source=loadtest/common.sh
source loadtest/common.sh
export API_THROTTLE_RATE=1000000/min AXES_ENABLED=false
prepare_database

workers=${LOAD_WORKERS:-$(nproc)}
echo "== gunicorn on 127.0.0.1:$port, $workers workers"
start_gunicorn "$workers"
wait_for_gunicorn

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
