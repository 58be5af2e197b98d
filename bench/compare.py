"""Two revisions' render cost, measured at once (``make bench-compare REV=<commit>``).

On a shared host the machine's speed drifts by a quarter within minutes, more than most
changes to a page are worth, so "before" measured now and "after" measured later says little.
This runs ``bench_render_cost`` (bench/README.md, section 2; this tree's command on both
sides) for one page at a time in this working tree and in a git worktree of ``REV`` at once,
each pinned to a core of its own, then again with the cores swapped: whatever slows the host
slows both, a core's own speed counts for both sides, and both wait for the same PostgreSQL
work. Each side renders through the whole request (middleware, view, queries, templates) with
fresh rows: a template rendered again with one captured context once measured 20% faster
while the same change made the page slower (docs/caching.md, "Cheap renders").

Needs the bench database (``make bench`` seeds it) and two cores. The worktree shares this
tree's ``.venv`` and ``staticfiles`` and is removed at the end.
"""

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import PY, ROOT, bench_env, database_exists, log, manage, uncached_env

SIDES = ("tree", "rev")
COMMAND = "bench/management/commands/bench_render_cost.py"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add = parser.add_argument
    add("rev", help="the revision to compare this working tree with (commit, tag, branch)")
    add("--repeat", type=int, default=40, help="renders per page and run (after 3 warm-up)")
    add("--rounds", type=int, default=2, help="pairs of runs; the cores swap within each pair")
    add(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/veche_bench"
        ),
    )
    add("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    return parser.parse_args(argv)


def _worktree(rev: str, where: Path) -> None:
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(where), rev],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    for shared in (".venv", "staticfiles"):
        if (ROOT / shared).exists():
            (where / shared).symlink_to(ROOT / shared)
    # The same instrument on both sides: this tree's command measures the revision too.
    shutil.copyfile(ROOT / COMMAND, where / COMMAND)


def _run_both(
    env: dict[str, str], dirs: dict[str, Path], cores: dict[str, int], repeat: int, page: int
) -> dict[str, list[dict]]:
    """``bench_render_cost`` of one page in both checkouts at the same time, each on its core:
    the same page on both sides, so that both wait for the same PostgreSQL work."""
    procs = {}
    for side, where in dirs.items():
        core = cores[side]
        procs[side] = subprocess.Popen(
            [PY, "manage.py", "bench_render_cost", "--repeat", str(repeat), "--page", str(page)],
            cwd=where,
            env={**env, "PYTHONPATH": str(where)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=functools.partial(os.sched_setaffinity, 0, {core}),
        )
    outputs = {side: proc.communicate()[0] for side, proc in procs.items()}  # both finish
    for side, proc in procs.items():
        if proc.returncode:
            raise SystemExit(f"bench_render_cost failed in {dirs[side]} (exit {proc.returncode})")
    return {side: json.loads(out) for side, out in outputs.items()}


def summarize(runs: list[dict[str, list[dict]]]) -> list[dict]:
    """Per page and viewer, each side: the least render, the median of the runs' medians and
    the median of their CPU medians (the figure to read: the host's stalls and the waits for
    PostgreSQL and Redis are not in it), and the CPU figure's change from rev to tree."""
    rows: dict[tuple[str, str], dict] = {}
    for run in runs:
        for side in SIDES:
            for page in run[side]:
                row = rows.setdefault(
                    (page["name"], page["as"]),
                    {"page": page["name"], "as": page["as"], "min": {}, "medians": {}, "cpu": {}},
                )
                row["min"][side] = min(row["min"].get(side, page["min_ms"]), page["min_ms"])
                row["medians"].setdefault(side, []).append(page["median_ms"])
                row["cpu"].setdefault(side, []).append(page["cpu_median_ms"])
                row[f"{side}_queries"] = page["queries"]
    out = []
    for row in rows.values():
        if set(row["min"]) != set(SIDES):
            continue  # a page one side does not have
        median = {side: statistics.median(row["medians"][side]) for side in SIDES}
        cpu = {side: statistics.median(row["cpu"][side]) for side in SIDES}
        out.append(
            {
                "page": row["page"],
                "as": row["as"],
                "rev_min": row["min"]["rev"],
                "tree_min": row["min"]["tree"],
                "rev_median": round(median["rev"], 1),
                "tree_median": round(median["tree"], 1),
                "rev_cpu": round(cpu["rev"], 1),
                "tree_cpu": round(cpu["tree"], 1),
                "cpu_change_pct": round(100 * (cpu["tree"] / cpu["rev"] - 1), 1),
                "rev_queries": row["rev_queries"],
                "tree_queries": row["tree_queries"],
            }
        )
    return out


def table(rev: str, rows: list[dict]) -> str:
    lines = [
        f"| page | as | {rev}: CPU / least / median ms | this tree: CPU / least / median ms "
        "| CPU | queries |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        queries = (
            str(r["tree_queries"])
            if r["tree_queries"] == r["rev_queries"]
            else f"{r['rev_queries']} → {r['tree_queries']}"
        )
        lines.append(
            f"| {r['page']} | {r['as']} | {r['rev_cpu']} / {r['rev_min']} / {r['rev_median']} "
            f"| {r['tree_cpu']} / {r['tree_min']} / {r['tree_median']} "
            f"| {r['cpu_change_pct']:+.1f}% | {queries} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("bench-compare needs two cores: one for each side")
    if not database_exists(args.database_url):
        raise SystemExit(f"no bench database at {args.database_url}: run make bench first")
    env = uncached_env(bench_env(args))
    base = Path(tempfile.mkdtemp(prefix="veche-compare-"))
    where = base / "rev"
    try:
        _worktree(args.rev, where)
        dirs = {"tree": ROOT, "rev": where}
        pages = int(manage(env, "bench_render_cost", "--count-pages", capture=True))
        runs = []
        for n in range(args.rounds):
            log(f"round {n + 1} of {args.rounds}: {pages} pages, each on both sides at once, twice")
            for page in range(pages):
                for cores in ({"tree": 0, "rev": 1}, {"tree": 1, "rev": 0}):
                    runs.append(_run_both(env, dirs, cores, args.repeat, page))
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(where)], cwd=ROOT, capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)
    print(table(args.rev, summarize(runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
