"""The one-URL rows: each main page read in a loop by wrk, anonymous or signed in, after a
short warm-up. Useful to see one page's cost; what users do is measured by bench/mixed.py."""

import argparse
from pathlib import Path

from .common import log, peak_memory_mb, run_wrk, start_gunicorn


def measure_pages(
    env: dict[str, str],
    args: argparse.Namespace,
    targets: list[dict],
    cookies: dict[str, str],
    queries: dict,
    error_log: Path,
) -> tuple[list[dict], dict[int, float]]:
    """Serve with gunicorn and run wrk on each page: warm-up, then the measured run."""
    server = start_gunicorn(env, args.port, error_log)
    pages = []
    try:
        workers = server.workers()
        for page in targets:
            cookie = cookies.get(page["as"]) if page["as"] != "anonymous" else None
            run_wrk(server.base + page["url"], cookie, 2, args.connections)  # warm-up
            figures = run_wrk(
                server.base + page["url"], cookie, args.page_duration, args.connections
            )
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
        server.stop()
    return pages, memory
