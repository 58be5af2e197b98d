"""Veche benchmark: seed a large community on PostgreSQL, serve it with gunicorn in production
mode and measure it with wrk. Run through ``make bench`` (see bench/README.md).

Steps: (re)create the bench database, migrate, seed through ``seed_demo`` with large sizes
(timed); then the mixed workload (bench/mixed.py: a long tail of pages read anonymous or by
~300 signed-in members while members write at fixed rates, caches on and off, against the
floor); the in-process render cost of the main pages with caches off; and the one-URL rows
(bench/single.py). Writes ``bench/results/<stamp>.json`` and ``.md`` (and ``latest.*``).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script (bench/run.sh): import bench.* from the root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ExternalServer,
    bench_env,
    database_exists,
    gunicorn_settings,
    log,
    manage,
    recreate_database,
    uncached_env,
)
from bench.mixed import CACHES, estimate_mixed_seconds, measure_mixed, prepare_workload  # noqa: E402
from bench.report import write_report  # noqa: E402
from bench.single import measure_pages  # noqa: E402
from bench.writer import WRITE_MIX, parse_write_mix  # noqa: E402
from ops import cluster  # noqa: E402

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
SEED_SECONDS_AT_FULL_SCALE = 95
SETUP_SECONDS_AT_FULL_SCALE = 45  # migrate, VACUUM ANALYZE, collectstatic, pages, sessions
ONE_URL_PAGES = (17, 11)  # pages measured with the cache on, and again with it off


def sizes(scale: float) -> dict[str, int]:
    return {k: max(1, int(v * scale)) if k != "history_days" else v for k, v in BENCH_SIZES.items()}


def seed(env: dict[str, str], scale: float) -> float:
    argv = ["seed_demo"]
    for key, value in sizes(scale).items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    log("seeding: " + ", ".join(f"{k}={v}" for k, v in sizes(scale).items()))
    started = time.monotonic()
    manage(env, *argv)
    return time.monotonic() - started


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add = parser.add_argument
    add(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/veche_bench"
        ),
    )
    add("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    add(
        "--scale",
        type=float,
        default=float(os.environ.get("BENCH_SCALE", 1)),
        help="multiply the default sizes (1 = 20,000 members, 100,000 questions…)",
    )
    add("--reuse", action="store_true", help="keep an already seeded bench database")
    add(
        "--target",
        choices=("local", "cluster"),
        default="local",
        help="cluster: start the local cluster (ops/cluster.py) seeded at --scale and measure "
        "the mixed rows through its nginx (caches on only: its nodes are not restarted)",
    )
    add("--keep-cluster", action="store_true", help="--target cluster: leave it running")
    add(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_SECONDS", 20)),
        help="measured window of each mixed row, and of the floor (s)",
    )
    add("--warmup", type=int, default=10, help="warm-up before each mixed row (s)")
    add("--page-duration", type=int, default=10, help="measured window of each one-URL row (s)")
    add("--connections", type=int, default=16)
    add("--port", type=int, default=8099)
    add("--mixed-only", action="store_true", help="skip the one-URL rows")
    add("--no-mixed", action="store_true", help="skip the mixed workload")
    add("--write-rates", default="0,2,20", help="writes per second of the mixed rows")
    add(
        "--write-mix",
        default=",".join(f"{k}={round(v * 100)}" for k, v in WRITE_MIX.items()),
        help="share of each kind of write",
    )
    add("--mixed-caches", default="on,off", help="mixed rows with the caches on, off or both")
    add(
        "--no-write-lane",
        dest="write_lane",
        action="store_false",
        help="skip the rows at the top write rate, caches on, whose writes (every request but "
        "GET and HEAD) go to a gunicorn of their own, as in docs/deployment.md",
    )
    add(
        "--lane-workers",
        type=int,
        default=1,
        help="gunicorn workers of the write lane (docs/deployment.md)",
    )
    add(
        "--warm-tail",
        action="store_true",
        help="before the cache-on rows, fetch every distinct read path once as a visitor and "
        "once signed in (a long-running community's cache); those rows are labelled 'tail warm'",
    )
    add("--mixed-questions", type=int, default=5000, help="distinct question pages read")
    add("--mixed-members", type=int, default=300, help="members signed in beforehand")
    add("--mixed-lines", type=int, default=100_000, help="length of wrk's path list")
    add("--render-repeat", type=int, default=20, help="renders per page for the render cost")
    add("--no-render-cost", action="store_true")
    add("--only", default="", help="one-URL rows: comma-separated page names")
    add(
        "--no-uncached",
        action="store_true",
        help="one-URL rows: skip the second pass over visitor pages with the page cache off",
    )
    args = parser.parse_args()
    args.write_rates = [float(r) for r in args.write_rates.split(",") if r.strip()]
    args.mixed_caches = [c.strip() for c in args.mixed_caches.split(",") if c.strip()]
    try:
        args.write_mix = parse_write_mix(args.write_mix)
    except ValueError as exc:
        parser.error(str(exc))
    if not set(args.mixed_caches) <= set(CACHES):
        parser.error("--mixed-caches takes on, off or on,off")
    if args.mixed_only and args.no_mixed:
        parser.error("--mixed-only and --no-mixed leave nothing to measure")
    if args.target == "cluster":
        if args.no_mixed:
            parser.error("--target cluster measures the mixed rows only")
        args.mixed_only, args.no_render_cost, args.mixed_caches = True, True, ["on"]
        args.database_url = cluster.database_url(cluster.PRIMARY[1])
        args.redis_url = f"redis://127.0.0.1:{cluster.CACHE_PORT}/0"
    return args


def estimate_seconds(args: argparse.Namespace, seeding: bool) -> dict[str, float]:
    parts = {
        "seed": SEED_SECONDS_AT_FULL_SCALE * args.scale if seeding else 0,
        "setup": SETUP_SECONDS_AT_FULL_SCALE * max(args.scale, 0.2),
        "mixed": 0 if args.no_mixed else estimate_mixed_seconds(args),
        "render cost": 0 if args.no_render_cost else 13 * (args.render_repeat + 4) * 0.15 + 10,
    }
    if not args.mixed_only:
        cached, uncached = ONE_URL_PAGES
        pages = cached + (0 if args.no_uncached else uncached)
        parts["one-URL rows"] = pages * (2 + args.page_duration + 0.5) + 40
    return parts


def one_url_rows(env: dict[str, str], args: argparse.Namespace, workdir: Path) -> dict:
    targets = json.loads(manage(env, "bench_prepare", "--targets", capture=True))
    if args.only:
        wanted = set(args.only.split(","))
        targets["pages"] = [
            p for p in targets["pages"] if p["name"] in wanted or p["name"] == "floor"
        ]
    log("one-URL rows: counting SQL queries per page")
    queries = json.loads(
        manage(env, "bench_prepare", "--queries", json.dumps(targets["pages"]), capture=True)
    )
    pages, memory = measure_pages(
        env, args, targets["pages"], targets["cookies"], queries, workdir / "gunicorn-pages.log"
    )
    if not args.no_uncached:
        # The same visitor pages with the anonymous page cache off: what a render costs when
        # the cache cannot help (a page nobody asked for in the last minute, or just changed).
        log("visitor pages again, with the page cache off")
        uncached = [
            dict(p, name=f"{p['name']} (uncached)")
            for p in targets["pages"]
            if p["as"] == "anonymous" and p["name"] != "floor"
        ]
        off = uncached_env(env)
        uncached_queries = json.loads(
            manage(off, "bench_prepare", "--queries", json.dumps(uncached), capture=True)
        )
        more, more_memory = measure_pages(
            off,
            args,
            uncached,
            targets["cookies"],
            uncached_queries,
            workdir / "gunicorn-pages-uncached.log",
        )
        pages += more
        memory.update(more_memory)
    floor = next((p for p in pages if p["name"] == "floor"), None)
    for page in pages:
        page["vs_floor"] = round(page["rps"] / floor["rps"], 3) if floor and floor["rps"] else None
    return {
        "pages": pages,
        "counts": targets.get("counts", {}),
        "worker_peak_mb": {str(k): round(v, 1) for k, v in memory.items()},
    }


def main_cluster(args: argparse.Namespace, started: float) -> None:
    """The mixed rows through the cluster's nginx: two web nodes, a replica, Redis apart."""
    env = {**cluster.site_env(), "PYTHONUNBUFFERED": "1"}
    log(f"estimated run time: {estimate_mixed_seconds(args) / 60 + 2.5:.1f} min")
    workdir = Path(tempfile.mkdtemp(prefix="veche-bench-cluster-"))
    try:
        timings = cluster.start(args.scale)
        manage(env, "bench_prepare", "--vacuum")
        workload = prepare_workload(env, args, workdir)
        external = ExternalServer(
            port=cluster.NGINX_PORT,
            masters=[pid for name in cluster.WEB_PORTS if (pid := cluster.pid_of(name))],
            error_logs=[cluster.DIR / "logs" / f"{name}.log" for name in cluster.WEB_PORTS],
        )
        mixed = measure_mixed(env, args, workload, workdir, external)
        counts = json.loads(manage(env, "bench_prepare", "--targets", capture=True))["counts"]
    finally:
        if not args.keep_cluster:
            cluster.stop()
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "target": "the local cluster (ops/cluster.py): nginx, 2 web nodes × 2 gunicorn "
        "workers, PostgreSQL primary + streaming replica, Redis cache and broker apart, "
        "2 Celery workers + beat, all on this machine",
        "machine": {"cores": os.cpu_count()},
        "database": "cluster primary",
        "sizes": sizes(args.scale),
        "seed_seconds": timings.get("seed"),
        "connections": args.connections,
        "gunicorn_workers": 4,
        "gunicorn": gunicorn_settings(),
        "counts": counts,
        "mixed": mixed,
        "total_seconds": round(time.monotonic() - started),
    }
    print(write_report(report, prefix="cluster-"))
    log(f"done in {report['total_seconds'] / 60:.1f} min")


def main() -> None:
    started = time.monotonic()
    args = parse_args()
    if args.target == "cluster":
        if shutil.which("wrk") is None:
            raise SystemExit("wrk is required (apt-get install wrk)")
        main_cluster(args, started)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is required (apt-get install wrk)")
    env = bench_env(args)
    seeding = not (args.reuse and database_exists(args.database_url))
    estimate = estimate_seconds(args, seeding)
    log(
        f"estimated run time: {sum(estimate.values()) / 60:.1f} min ("
        + ", ".join(f"{k} {v / 60:.1f}" for k, v in estimate.items() if v)
        + ")"
    )
    workdir = Path(tempfile.mkdtemp(prefix="veche-bench-"))
    log(f"work files and gunicorn logs: {workdir}")
    seed_seconds = None
    if seeding:
        log(f"recreating {args.database_url}")
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        seed_seconds = seed(env, args.scale)
        log(f"seeded in {seed_seconds:.0f}s")
        manage(env, "bench_prepare", "--vacuum")
    manage(env, "migrate", "--noinput", "-v0")  # a reused database gets new indexes too
    if not seeding:
        # A reused database carries the writes of earlier runs (held answers and comments by
        # the thousand) that autovacuum's 10% threshold never re-analyzes: plans chosen from
        # the seed's statistics cost a member's question page 2-3 ms.
        manage(env, "bench_prepare", "--analyze")
    manage(env, "collectstatic", "--noinput", "-v0")

    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count()},
        "database": args.database_url.rsplit("/", 1)[1],
        "sizes": sizes(args.scale),
        "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else None,
        "estimate_seconds": round(sum(estimate.values())),
        "connections": args.connections,
        "page_duration_s": args.page_duration,
        "gunicorn_workers": 2,
        "gunicorn": gunicorn_settings(),
        "counts": {},
        "worker_peak_mb": {},
        "pages": [],
    }
    if not args.no_mixed:
        workload = prepare_workload(env, args, workdir)
        report["mixed"] = measure_mixed(env, args, workload, workdir)
    if not args.no_render_cost:
        log("render cost in-process, caches off")
        report["render_cost"] = json.loads(
            manage(
                uncached_env(env),
                "bench_render_cost",
                "--repeat",
                str(args.render_repeat),
                capture=True,
            )
        )
        for p in report["render_cost"]:
            log(f"  {p['name']:<26} {p['as']:<9} {p['median_ms']:>7} ms  {p['queries']} queries")
    if not args.mixed_only:
        report.update(one_url_rows(env, args, workdir))
    if not report["counts"]:
        report["counts"] = json.loads(manage(env, "bench_prepare", "--targets", capture=True))[
            "counts"
        ]
    report["total_seconds"] = round(time.monotonic() - started)
    print(write_report(report))
    log(f"done in {report['total_seconds'] / 60:.1f} min (estimated {estimate_total(estimate)})")


def estimate_total(estimate: dict[str, float]) -> str:
    return f"{sum(estimate.values()) / 60:.1f} min"


if __name__ == "__main__":
    main()
