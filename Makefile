# Veche — developer commands. Everything installs into .venv from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/veche
PG_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: run test test-pg test-sqlite lint check messages browser bench worker beat clean

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## make run: the demo site on http://127.0.0.1:8000 (SQLite, in-process jobs, console e-mail)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite on SQLite (browser journeys included)
test: $(STAMP) browser
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## make test-pg: the whole suite on PostgreSQL with Celery on Redis and a real worker
test-pg: $(STAMP) browser
	DATABASE_URL=$(PG_URL) REDIS_URL=$(PG_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=1 \
	  VECHE_REQUIRE_SERVICES=1 $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

## the browser for Playwright journeys comes from Debian (never a downloaded build)
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || { echo "chromium is required: apt-get install chromium"; exit 1; }; }

## make messages: refresh and compile the Russian translation
messages: $(STAMP)
	$(PY) manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=bench
	$(PY) manage.py compilemessages -l ru --ignore=.venv

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat -l info

## make bench: seed a large community on PostgreSQL and measure the main pages (see bench/)
bench: $(STAMP)
	bash bench/run.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
