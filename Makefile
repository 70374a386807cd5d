# The few commands people need. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= full
PORT ?= 8000

.PHONY: run test lint format bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $@

# Web, worker and beat (Procfile) on the embedded filesystem broker under var/broker, so every
# scheduled and deferred job runs as in production; `make run PORT=8123` serves on another port.
run: $(BIN)/.installed  ## install, migrate, seed the demo, serve on http://127.0.0.1:$(PORT)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	CELERY_BROKER_URL=filesystem:// SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --procfile Procfile --port $(PORT)

test: $(BIN)/.installed  ## lint, format check, Django checks and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n auto --maxprocesses=4 --dist loadfile

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BIN)/.bench-installed  ## organisation-scale benchmark on PostgreSQL (SCALE=small|full|xl)
	$(BIN)/python -m bench.run --scale $(SCALE)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm var
