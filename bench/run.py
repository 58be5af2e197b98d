"""Veche benchmark: seed a large community on PostgreSQL, serve it with gunicorn in production
mode and measure the main pages with wrk. Run through ``make bench`` (see README).

Steps: (re)create the bench database, migrate, seed through ``seed_demo`` with large sizes
(timed), start gunicorn (2 workers), then for each page run wrk for a fixed time at 16
connections, anonymous or signed in, count SQL queries per request in-process, and read the
peak memory of the workers. Writes ``bench/results/<stamp>.json`` and ``.md`` (and
``latest.*``).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
RESULTS = ROOT / "bench" / "results"

BENCH_SIZES = {
    "members": 20_000,
    "questions": 100_000,
    "answers": 300_000,
    "comments": 300_000,
    "votes": 1_000_000,
    "ideas": 10_000,
    "idea_votes": 300_000,
    "activity_days": 1_500_000,
    "flags": 5_000,
    "referrals": 2_000,
    "faq": 300,
    "history_days": 365,
}


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def bench_env(args) -> dict:
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
        "DATABASE_CONN_MAX_AGE": "600",
        "PYTHONUNBUFFERED": "1",
    }


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def manage(env: dict, *argv: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603
        [PY, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else ""


def seed(env: dict, scale: float) -> float:
    sizes = {
        k: max(1, int(v * scale)) if k != "history_days" else v for k, v in BENCH_SIZES.items()
    }
    argv = ["seed_demo"]
    for key, value in sizes.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    log("seeding: " + ", ".join(f"{k}={v}" for k, v in sizes.items()))
    started = time.monotonic()
    manage(env, *argv)
    return time.monotonic() - started


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    gunicorn = str(Path(PY).parent / "gunicorn")
    proc = subprocess.Popen(  # noqa: S603
        [
            gunicorn,
            "config.wsgi:application",
            "--workers",
            "2",
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
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/floor/", timeout=2):  # noqa: S310
                return proc
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)],  # noqa: S603,S607
        capture_output=True,
        text=True,
    ).stdout
    return [int(p) for p in out.split()]


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
    def seconds(value: str, unit: str) -> float:
        factor = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
        return float(value) * factor

    figures = {"rps": 0.0, "p50_ms": None, "p99_ms": None, "requests": 0, "errors": 0}
    m = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if m:
        figures["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if m:
            figures[key] = round(seconds(m.group(1), m.group(2)), 2)
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


def run_wrk(url: str, cookie: str | None, duration: int, connections: int) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    output = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(output)


def measure(env: dict, args, targets: list[dict], cookies: dict, queries: dict):
    """Serve with gunicorn and run wrk on each page: warm-up, then the measured run."""
    proc = start_gunicorn(env, args.port)
    pages = []
    try:
        workers = worker_pids(proc.pid)
        base = f"http://127.0.0.1:{args.port}"
        for page in targets:
            cookie = cookies.get(page["as"]) if page["as"] != "anonymous" else None
            run_wrk(base + page["url"], cookie, 2, args.connections)  # warm-up
            figures = run_wrk(base + page["url"], cookie, args.duration, args.connections)
            figures.update(
                name=page["name"],
                url=page["url"],
                user=page["as"],
                queries=queries.get(page["name"]),
            )
            pages.append(figures)
            log(
                f"{page['name']:<22} {figures['rps']:>8.1f} rps  p50 {figures['p50_ms']} ms  "
                f"p99 {figures['p99_ms']} ms  errors {figures['errors']}  "
                f"queries {figures['queries']}"
            )
        memory = peak_memory_mb(workers)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    return pages, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/veche_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("BENCH_SCALE", 1)),
        help="multiply the default sizes (1 = 20,000 members, 100,000 questions…)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep an already seeded bench database"
    )
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--no-uncached",
        action="store_true",
        help="skip the second pass over visitor pages with the page cache off",
    )
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is required (apt-get install wrk)")
    env = bench_env(args)
    seed_seconds = None
    if not (args.reuse and database_exists(args.database_url)):
        log(f"recreating {args.database_url}")
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        seed_seconds = seed(env, args.scale)
        log(f"seeded in {seed_seconds:.0f}s")
        manage(env, "bench_prepare", "--vacuum")
    manage(env, "migrate", "--noinput", "-v0")  # a reused database gets new indexes too
    manage(env, "collectstatic", "--noinput", "-v0")
    targets = json.loads(manage(env, "bench_prepare", "--targets", capture=True))
    if args.only:
        wanted = set(args.only.split(","))
        targets["pages"] = [
            p for p in targets["pages"] if p["name"] in wanted or p["name"] == "floor"
        ]
    log("counting SQL queries per page")
    queries = json.loads(
        manage(env, "bench_prepare", "--queries", json.dumps(targets["pages"]), capture=True)
    )

    pages, memory = measure(env, args, targets["pages"], targets["cookies"], queries)
    if not args.no_uncached:
        # The same visitor pages with the anonymous page cache off: what a render costs when
        # the cache cannot help (a page nobody asked for in the last minute, or just changed).
        log("visitor pages again, with the page cache off")
        uncached = [
            dict(p, name=f"{p['name']} (uncached)")
            for p in targets["pages"]
            if p["as"] == "anonymous" and p["name"] != "floor"
        ]
        uncached_env = {**env, "VECHE_PAGE_CACHE_SECONDS": "0"}
        uncached_queries = json.loads(
            manage(uncached_env, "bench_prepare", "--queries", json.dumps(uncached), capture=True)
        )
        more, more_memory = measure(
            uncached_env, args, uncached, targets["cookies"], uncached_queries
        )
        pages += more
        memory.update(more_memory)

    floor = next((p for p in pages if p["name"] == "floor"), None)
    for page in pages:
        page["vs_floor"] = round(page["rps"] / floor["rps"], 3) if floor and floor["rps"] else None
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count()},
        "sizes": {
            k: (int(v * args.scale) if k != "history_days" else v) for k, v in BENCH_SIZES.items()
        },
        "counts": targets.get("counts", {}),
        "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else None,
        "duration_s": args.duration,
        "connections": args.connections,
        "gunicorn_workers": 2,
        "worker_peak_mb": {str(k): round(v, 1) for k, v in memory.items()},
        "page_cache_seconds_uncached_pass": 0,
        "pages": pages,
    }
    write_report(report)


def write_report(report: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    lines = [
        f"# Veche benchmark {report['when']}",
        "",
        f"Seeding: {report['seed_seconds']} s for {report['counts']}",
        f"wrk: {report['connections']} connections, {report['duration_s']} s per page, "
        f"gunicorn 2 workers (production settings). Worker peak memory (MB): "
        f"{', '.join(str(v) for v in report['worker_peak_mb'].values())}",
        "",
        "| page | as | req/s | p50 ms | p99 ms | errors | SQL queries | vs floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in report["pages"]:
        lines.append(
            f"| {p['name']} | {p['user']} | {p['rps']:.1f} | {p['p50_ms']} | {p['p99_ms']} | "
            f"{p['errors']} | {p['queries']} | {p['vs_floor']} |"
        )
    text = "\n".join(lines) + "\n"
    for name in (stamp, "latest"):
        (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
        (RESULTS / f"{name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
