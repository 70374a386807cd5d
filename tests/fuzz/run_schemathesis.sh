#!/usr/bin/env bash
# Property-based run of schemathesis over the whole OpenAPI schema, bounded in examples and time.
#
# Starts gunicorn on 127.0.0.1 with a fresh SQLite database and a small demo organisation, then:
#  1. every check but object-level authorization and positive_data_acceptance, as a machine
#     client holding every v1 scope (two API clients are created; API clients read the whole
#     organisation by design, so "client B reads what client A created" is expected there,
#     not a leak; and domain rules no schema can express, such as "no cycles in the org
#     tree", rightly refuse some schema-valid bodies);
#  2. object_level_authorization + ignored_auth + not_a_server_error with two peers whose
#     rights differ per object: the demo supervisors, each seeing only their own groups
#     (fuzzing and stateful phases only: the coverage phase's edge cases add time, not ids).
# A run cut by the time budget fails too (exit 124): raise FUZZ_BUDGET_SECONDS on a slow host.
# Fails on any server error, schema mismatch or cross-peer read.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
MAX_EXAMPLES=${MAX_EXAMPLES:-20}
BUDGET=${FUZZ_BUDGET_SECONDS:-280}  # the whole script stays under 5 minutes
# A new seed each run (fuzzing explores), printed so that a failure or a hang can be replayed.
SEED=${FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}
started=$(date +%s)

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The embedded default: SQLite, tasks inline, no lockouts, a throttle the fuzzer cannot hit.
unset REDIS_URL CELERY_BROKER_URL CACHE_URL
export DATABASE_URL="sqlite:///$work/fuzz.sqlite3" DEBUG=true AXES_ENABLED=false
export API_THROTTLE_RATE="100000/min" SECRET_KEY="fuzz-only" ALLOWED_HOSTS="127.0.0.1"
port=$("$BIN/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
base="http://127.0.0.1:$port"

echo "== fuzz: seeding a small demo organisation"
"$BIN/python" manage.py migrate --no-input -v 0
"$BIN/python" manage.py seed_demo --people 60 --pilots 3 --months 3 -v 0 >/dev/null
scopes="people:read,people:write,metrics:read,metrics:write,pilots:read"
alice=$("$BIN/python" manage.py create_api_client fuzz-alice --scopes "$scopes" 2>/dev/null)
bob=$("$BIN/python" manage.py create_api_client fuzz-bob --scopes "$scopes" 2>/dev/null)
"$BIN/python" manage.py shell -c "
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
keys = []
for name in ('supervisor', 'supervisor2'):
    user = User.objects.get(username=name)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = 'accounts.backends.PasswordBackend'
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(*keys)
" >"$work/sessions.txt"
read -r carol_session dan_session < <(tail -n 1 "$work/sessions.txt")
csrf=$("$BIN/python" -c "import secrets, string; print(''.join(secrets.choice(string.ascii_letters) for _ in range(32)))")

cat >"$work/clients.json" <<JSON
{"auth": [
  {"name": "alice", "fixedHeaders": [{"name": "Authorization", "value": "Bearer $alice"}]},
  {"name": "bob", "fixedHeaders": [{"name": "Authorization", "value": "Bearer $bob"}]}
]}
JSON
cat >"$work/supervisors.json" <<JSON
{"auth": [
  {"name": "carol", "fixedHeaders": [
    {"name": "Cookie", "value": "sessionid=$carol_session; csrftoken=$csrf"},
    {"name": "X-CSRFToken", "value": "$csrf"}]},
  {"name": "dan", "fixedHeaders": [
    {"name": "Cookie", "value": "sessionid=$dan_session; csrftoken=$csrf"},
    {"name": "X-CSRFToken", "value": "$csrf"}]}
]}
JSON
mkdir -p "$work/clients" "$work/supervisors"
printf '[auth.wfc]\npath = "%s"\npeers = ["alice", "bob"]\n' "$work/clients.json" >"$work/clients/schemathesis.toml"
printf '[auth.wfc]\npath = "%s"\npeers = ["carol", "dan"]\n' "$work/supervisors.json" >"$work/supervisors/schemathesis.toml"

echo "== fuzz: starting gunicorn on $base"
"$BIN/gunicorn" config.wsgi -b "127.0.0.1:$port" -w 2 --timeout 60 --log-level warning \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

remaining() { echo $(( BUDGET - ($(date +%s) - started) )); }
# At the budget, SIGINT: schemathesis then prints what it ran so far (SIGKILL 15 s later).
budget() { timeout -s INT -k 15 "$@"; }
status=0
echo "== fuzz: seed $SEED (rerun with FUZZ_SEED=$SEED to generate the same inputs)"
echo "== fuzz 1/2: all checks but object-level authorization, as API client alice"
(cd "$work/clients" && budget "$(( $(remaining) * 2 / 3 ))" "$OLDPWD/$BIN/st" run "$base/api/schema/" \
  --url "$base" --checks all --exclude-checks object_level_authorization,positive_data_acceptance \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --no-color) || status=$?
echo "== fuzz 2/2: object-level authorization between two supervisors"
(cd "$work/supervisors" && budget "$(remaining)" "$OLDPWD/$BIN/st" run "$base/api/schema/" \
  --url "$base" --checks object_level_authorization,ignored_auth,not_a_server_error \
  --phases fuzzing,stateful --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 \
  --no-color) || status=$?
if [ "$status" != 0 ]; then
  echo "== server log (last 80 lines)"; tail -n 80 "$work/server.log" || true
fi
echo "== fuzz took $(( $(date +%s) - started )) s"
exit "$status"
