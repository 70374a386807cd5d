# Sourced by run.sh and capacity.sh (from the repository root): a free loopback port, a work
# directory removed on exit with every process started, production settings with per-run
# secrets, and the steps both take: prepare the database, start gunicorn, wait for it.
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

prepare_database() {  # migrated, static files, the demo, and the logins and token of the cast
  echo "== preparing the database"
  "$bin/python" manage.py migrate --no-input -v0
  "$bin/python" manage.py collectstatic --no-input -v0
  "$bin/python" manage.py seed_demo ${LOAD_SEED_ARGS:-} >/dev/null
  "$bin/python" loadtest/prepare.py "$workdir/cast.json"
}

start_gunicorn() {  # workers; its pid is pids[0]
  # Threads as in production (docker-compose.yml): a request waiting for its turn to hash a
  # password (accounts.backends) must not hold up the requests behind it in its worker.
  "$bin/gunicorn" config.wsgi:application --bind "127.0.0.1:$port" --workers "$1" \
    --threads 4 --timeout 60 --access-logfile /dev/null >"$workdir/gunicorn.log" 2>&1 &
  pids+=($!)
}

wait_for_gunicorn() {
  for _ in $(seq 1 60); do
    kill -0 "${pids[0]}" 2>/dev/null || { echo "gunicorn did not start:"; cat "$workdir/gunicorn.log"; exit 1; }
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
    sleep 0.5
  done
}
