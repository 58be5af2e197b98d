#!/usr/bin/env bash
# make bench: needs PostgreSQL and Redis (started if down) and wrk (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
# The project's virtualenv; BENCH_PYTHON for a checkout without one (a git worktree).
PYTHON="${BENCH_PYTHON:-.venv/bin/python}"
exec "$PYTHON" -m bench.run "$@"
