# Veche — developer commands. Everything installs into .venv from the project's own files:
# the lock files (pinned, with hashes) generated from requirements*.in by `make lock`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js
PG_URL ?= postgres://postgres@127.0.0.1:5432/veche
PG_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=
LOCK_UPGRADE ?=
# A throwaway key long and random-looking enough for `check --deploy` (never used to sign).
DEPLOY_CHECK_KEY := deploy-check-only-9f3c1e7a5b2d4068a1c3e5f7b9d2e4f6a8c0e2b4d6f8

# The lock files are for CPython 3.11 on Linux x86_64, like every machine that runs this.
LOCK_ARGS := --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
  --custom-compile-command "make lock" --quiet

.PHONY: venv lock run test test-pg test-sqlite lint format check messages browser bench worker beat clean \
  cluster cluster-stop cluster-status faults bench-cluster bench-compare cluster-tools screenshots

# pip itself is not in the lock: the venv's bundled pip checks every hash of the lock file.
$(STAMP): requirements-dev.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $(STAMP)

venv: $(STAMP)

## make lock: re-resolve requirements*.in (ranges) into the pinned, hashed lock files
# The dev lock is constrained by the runtime lock, so both pin the same runtime versions.
# --upgrade resolves everything to the newest allowed release; drop it to keep current pins.
lock: $(STAMP)
	$(VENV)/bin/uv pip compile requirements.in -o requirements.lock $(LOCK_ARGS) $(LOCK_UPGRADE)
	$(VENV)/bin/uv pip compile requirements-dev.in -c requirements.lock -o requirements-dev.lock \
	  $(LOCK_ARGS) $(LOCK_UPGRADE)

## make run: the demo site on http://127.0.0.1:8000 (SQLite, console e-mail) with a Celery
## worker and beat on a file broker, so the scheduled jobs run too (ops/run_demo.py)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) -m ops.run_demo 127.0.0.1:8000

## make check: the static checks (lint, format, types, migrations, deploy settings)
check: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production DJANGO_SECRET_KEY=$(DEPLOY_CHECK_KEY) DJANGO_ALLOWED_HOSTS=veche.example \
	  REDIS_URL=redis://127.0.0.1:6379/0 $(PY) manage.py check --deploy --fail-level WARNING

## make test: the static checks, then the whole suite on SQLite (browser journeys included)
test: check browser $(AXE)
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## make test-pg: the whole suite on PostgreSQL with Celery on Redis and a real worker
test-pg: $(STAMP) browser $(AXE)
	DATABASE_URL=$(PG_URL) REDIS_URL=$(PG_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=1 \
	  VECHE_REQUIRE_SERVICES=1 $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

## make format: apply ruff's formatting and safe lint fixes
format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## the browser for Playwright journeys comes from Debian (never a downloaded build)
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || { echo "chromium is required: apt-get install chromium"; exit 1; }; }

## make screenshots: the demo community in a throwaway SQLite database, served and shot at
## 1280 and 390 px into docs/screenshots/ (ops/screenshots.py); also the PNG app icons in
## static/icons/, rendered from static/favicon.svg
screenshots: $(STAMP) browser
	$(PY) -m ops.screenshots

## axe-core for the accessibility checks, from npm (package-lock.json); npm from Debian
$(AXE): package-lock.json
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's nodejs and npm for the accessibility checks"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) \
	  || { echo "npm is required: apt-get install nodejs npm"; exit 1; }; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

## make messages: refresh and compile the Russian translation
messages: $(STAMP)
	$(PY) manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=bench --ignore=node_modules
	$(PY) manage.py compilemessages -l ru --ignore=.venv --ignore=node_modules

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat -l info

## make bench: seed a large community on PostgreSQL and measure the main pages (see bench/)
bench: $(STAMP)
	bash bench/run.sh

## make cluster: PostgreSQL primary + streaming replica, two Redis, two web nodes behind nginx,
## two Celery workers and beat, on loopback (ops/cluster.py, ops/README.md); as root
cluster: $(STAMP) cluster-tools
	$(PY) -m ops.cluster start

cluster-stop: $(STAMP)
	$(PY) -m ops.cluster stop

cluster-status: $(STAMP)
	$(PY) -m ops.cluster status

## make faults: start the cluster, load it, break it one way at a time, check what users and
## the outbox saw (ops/faults.py); writes ops/results/faults-<stamp>.md, fails on a figure
faults: $(STAMP) cluster-tools
	$(PY) -m ops.faults

## make bench-compare REV=<commit>: the render cost of REV and this tree, measured at once (bench/)
bench-compare: $(STAMP)
	$(PY) -m bench.compare $(REV) $(BENCH_ARGS)

## make bench-cluster: the mixed benchmark through nginx against the cluster (bench/README.md)
bench-cluster: $(STAMP) cluster-tools
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m bench.run --target cluster $(BENCH_ARGS)

# nginx from Debian for the cluster (PostgreSQL and Redis are there already for test-pg).
cluster-tools:
	@command -v nginx >/dev/null || { \
	  echo "Installing Debian nginx for the cluster"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light) \
	  || { echo "nginx is required: apt-get install nginx-light"; exit 1; }; }
	@command -v pg_createcluster >/dev/null && command -v redis-server >/dev/null \
	  || { echo "the cluster needs postgresql-common and redis-server"; exit 1; }

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache
