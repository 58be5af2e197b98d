"""What every benchmark step shares: logging, the environment of the served site, the bench
database, ``manage.py`` calls, gunicorn, and wrk's output."""

import argparse
import os
import re
import runpy
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
RESULTS = ROOT / "bench" / "results"
GUNICORN_WORKERS = 2


def gunicorn_settings() -> dict[str, object]:
    """The worker settings every gunicorn of the benchmark runs with: gunicorn.conf.py's (read,
    not restated), and ``GUNICORN_CMD_ARGS`` when set (an A/B run overriding them)."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    names = ("worker_class", "threads", "worker_connections", "keepalive")
    settings: dict[str, object] = {name: conf[name] for name in names if name in conf}
    if os.environ.get("GUNICORN_CMD_ARGS"):
        settings["command_line"] = os.environ["GUNICORN_CMD_ARGS"]
    return settings


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def bench_env(args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "bench-" + "s3cr3t-k3y-for-the-benchmark-only-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "VECHE_STAFF_MFA_REQUIRED": "0",
        "VECHE_BENCH": "1",
        # Every simulated reader comes from 127.0.0.1: one address's API limit would refuse
        # most of the API reads with 429.
        "VECHE_API_REQUESTS_PER_MINUTE": "0",
        "DATABASE_CONN_MAX_AGE": "600",
        "PYTHONUNBUFFERED": "1",
    }


def uncached_env(env: dict[str, str]) -> dict[str, str]:
    """The project's switch for its caches of rendered output: the anonymous page cache and
    the question pages' shared data follow ``VECHE_PAGE_CACHE_SECONDS`` (config/cache.py).
    Sessions, rate limits, counts and privilege caches stay in Redis as in production."""
    return {**env, "VECHE_PAGE_CACHE_SECONDS": "0"}


def _admin_url(url: str) -> tuple[str, str]:
    return url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"


def recreate_database(url: str) -> None:
    name, admin_url = _admin_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    name, admin_url = _admin_url(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def manage(env: dict[str, str], *argv: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else ""


@dataclass
class Server:
    """A gunicorn master with its workers; its error log goes to a file (a pipe nobody reads
    would fill up and stall the workers once they log tracebacks)."""

    proc: subprocess.Popen
    port: int
    error_log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return [int(p) for p in out.split()]

    def error_lines(self) -> list[str]:
        try:
            text = self.error_log.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if line.strip()]

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@dataclass
class ExternalServer:
    """A site already running (the local cluster behind nginx, ops/cluster.py): measured
    like a gunicorn of our own, never started or stopped here."""

    port: int
    masters: list[int]  # the gunicorn masters behind it
    error_logs: list[Path]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        pids: list[int] = []
        for master in self.masters:
            out = subprocess.run(
                ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
            ).stdout
            pids += [int(p) for p in out.split()]
        return pids

    def error_lines(self) -> list[str]:
        lines: list[str] = []
        for path in self.error_logs:
            try:
                lines += [ln for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
            except OSError:
                continue
        return lines

    def stop(self) -> None:
        return None


def start_gunicorn(
    env: dict[str, str],
    port: int,
    error_log: Path,
    workers: int = GUNICORN_WORKERS,
    nice: int = 0,
) -> Server:
    """``nice``: the processes' niceness (below 0 needs root; without it they run at 0)."""
    gunicorn = str(Path(PY).parent / "gunicorn")
    error_log.parent.mkdir(parents=True, exist_ok=True)
    with error_log.open("ab") as stderr:
        proc = subprocess.Popen(
            [
                *(["nice", "-n", str(nice)] if nice else []),
                gunicorn,
                "config.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
                "--access-logformat",
                "%(s)s",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    server = Server(proc=proc, port=port, error_log=error_log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.base}/_bench/floor/", timeout=2):
                return server
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    server.stop()
    raise SystemExit(f"gunicorn did not start (see {error_log})")


def peak_memory_mb(pids: list[int]) -> dict[int, float]:
    peaks = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks[pid] = int(match.group(1)) / 1024
    return peaks


def parse_wrk(output: str) -> dict:
    def milliseconds(value: str, unit: str) -> float:
        factor = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
        return float(value) * factor

    figures: dict = {"rps": 0.0, "p50_ms": None, "p99_ms": None, "requests": 0, "errors": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if m:
        figures["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if m:
            figures[key] = round(milliseconds(m.group(1), m.group(2)), 2)
    m = re.search(r"(\d+) requests in", output)
    if m:
        figures["requests"] = int(m.group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if m:
        errors += sum(int(x) for x in m.groups())
    figures["errors"] = errors
    return figures


def wrk_command(duration: float, connections: int, extra: list[str] | None = None) -> list[str]:
    seconds = max(1, round(duration))
    return [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
        *(extra or []),
    ]


def run_wrk(url: str, cookie: str | None, duration: float, connections: int) -> dict:
    """One URL in a loop (the floor and the one-URL rows)."""
    cmd = wrk_command(duration, connections, ["-H", f"Cookie: {cookie}"] if cookie else [])
    cmd.append(url)
    timeout = duration + 60
    output = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=timeout)
    return parse_wrk(output.stdout)
