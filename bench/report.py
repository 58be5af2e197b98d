"""bench/results/<stamp>.md and .json (and latest.*): the mixed workload first, then the
in-process render costs, then the one-URL rows."""

import json
from datetime import UTC, datetime
from typing import Any

from .common import RESULTS
from .writer import WRITE_MIX


def _fmt(value: Any) -> str:
    return "–" if value is None else str(value)


def _served_by(workers: int, gunicorn: dict[str, Any] | None) -> str:
    """``2 workers (config.workers.WritesFirstWorker, threads 2, …)``: what the run recorded."""
    settings = ", ".join(f"{name} {value}" for name, value in (gunicorn or {}).items())
    return f"{workers} workers" + (f" ({settings})" if settings else "")


def mixed_lines(
    mixed: dict[str, Any], cores: int | None, workers: int = 2, gunicorn: dict | None = None
) -> list[str]:
    floors = mixed["floors"]
    cov = mixed["coverage"]
    floor_text = ", ".join(
        f"{f['rps']:.0f} req/s (p50 {f['p50_ms']} ms) on the cache-{cache} server"
        for cache, f in floors.items()
    )
    distinct = ", ".join(f"{kind} {n}" for kind, n in cov["distinct"].items())
    share = ", ".join(f"{kind} {int(s * 100)}%" for kind, s in cov["share"].items())
    mix = mixed.get("write_mix") or WRITE_MIX
    writes = ", ".join(f"{kind} {round(s * 100)}%" for kind, s in mix.items() if s)
    lines = [
        "## Mixed traffic: what users do (headline)",
        "",
        f"Machine: {cores} cores, gunicorn {_served_by(workers, gunicorn)}, production "
        f"settings. Floor (a "
        f"one-query view): {floor_text}.",
        f"Reads: wrk, {mixed['connections']} connections, each request a random path from a "
        f"list of {sum(cov['distinct'].values())} distinct paths ({distinct}) drawn with shares "
        f"{share}; question pages over {cov['questions']} questions with a long tail; searches "
        f"{cov['searches']['en']} English and {cov['searches']['ru']} Russian. Signed-in rows: "
        f"each request as one of {cov['members']} members.",
        f"Writes: a paced open-loop writer, members from their own loopback addresses, "
        f"{writes}; latency counted from when each write was due. Every row: "
        f"{mixed['warmup_s']} s warm-up on the same traffic, then {mixed['duration_s']} s "
        f"measured. Caches off = `VECHE_PAGE_CACHE_SECONDS=0`. Touches/s site/questions: how "
        f"often, during the measured window, the `site` scope (every cached page) and the "
        f"`questions` scope (the lists) went stale (config/cache.py).",
        *(
            [
                "Caches `on + write lane`: the cache-on server again, with every write request "
                f"(all but GET and HEAD) sent to a gunicorn of its own with "
                f"{mixed.get('lane_workers', 1)} worker(s), as nginx "
                "sends them in docs/deployment.md, at niceness -5 as there; reads and the log-in "
                "form's GET stay on the two workers."
            ]
            if mixed.get("write_lane")
            else []
        ),
        *(
            [
                f"Caches `on, tail warm`: before those rows, each of the "
                f"{tail['paths']} distinct read paths was fetched once as a visitor and once "
                f"signed in ({tail['seconds']} s; statuses {tail['statuses']}), as a community "
                f"running for a while holds its long tail; without `--warm-tail` the rows' own "
                f"warm-up reaches only the pages it draws."
            ]
            if (tail := mixed.get("tail_warmed"))
            else []
        ),
        "",
        "| readers | writes/s | caches | req/s | p50 ms | p99 ms | floor before the row "
        "| share of floor | read errors "
        "| writes | write p50 ms | write p99 ms | write errors | touches/s site/questions |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in mixed["rows"]:
        w = r["writes"]
        lines.append(
            f"| {r['user']} | {r['writes_per_s']:g} | {r['cache']} | {r['rps']:.1f} | "
            f"{_fmt(r['p50_ms'])} | {_fmt(r['p99_ms'])} | {_fmt(r.get('floor_rps'))} | "
            f"{_fmt(r['vs_floor'])} | {r['errors']} | "
            f"{w['count']} | {_fmt(w['p50_ms'])} | {_fmt(w['p99_ms'])} | {w['errors']} | "
            f"{r.get('scope_touches_per_s') or r.get('generation_bumps_per_s') or '–'} |"
        )
    written = [r for r in mixed["rows"] if r["writes"]["count"]]
    if written:
        lines += [
            "",
            "Writes by kind (count · p50 ms · p99 ms · errors):",
            "",
            "| readers | writes/s | caches | " + " | ".join(WRITE_MIX) + " |",
            "|---|---:|---|" + "---|" * len(WRITE_MIX),
        ]
        for r in written:
            cells = []
            for kind in WRITE_MIX:
                k = r["writes"]["by_kind"][kind]
                cells.append(
                    f"{k['count']} · {_fmt(k['p50_ms'])} · {_fmt(k['p99_ms'])} · {k['errors']}"
                )
            lines.append(
                f"| {r['user']} | {r['writes_per_s']:g} | {r['cache']} | "
                + " | ".join(cells)
                + " |"
            )
    notes = []
    for r in written:
        if r["writes"]["error_kinds"]:
            notes.append(
                f"- write errors ({r['user']}, {r['writes_per_s']:g}/s, caches {r['cache']}): "
                f"{r['writes']['error_kinds']}"
            )
        if r["writes"]["late_starts"]:
            notes.append(
                f"- {r['writes']['late_starts']} writes started >100 ms late ({r['user']}, "
                f"{r['writes_per_s']:g}/s, caches {r['cache']}): the writer's pool was full"
            )
    for cache, server in mixed["servers"].items():
        name = "write lane" if cache == "write lane" else f"cache-{cache} server"
        notes.append(
            f"- {name}: read path check {server['path_check']}, "
            f"{server['server_error_lines']} error lines in gunicorn's log, worker peak MB "
            f"{server['worker_peak_mb']}"
        )
        notes += [f"  - `{line[:160]}`" for line in server["server_error_examples"]]
    if mixed.get("tokens_ready") is not None:
        notes.append(f"- {mixed['tokens_ready']} of {cov['members']} members held a CSRF token")
    return [*lines, "", *notes]


def render_lines(render: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Render cost in-process, caches off",
        "",
        "Django's test client against the bench database, `VECHE_PAGE_CACHE_SECONDS=0`, no other "
        "traffic: median over the renders after a warm-up, and SQL queries per render.",
        "",
        "| page | as | renders | median ms | min ms | SQL queries | status |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for p in render:
        lines.append(
            f"| {p['name']} | {p['as']} | {p['renders']} | {p['median_ms']} | {p['min_ms']} | "
            f"{p['queries']} | {p['status']} |"
        )
    return lines


def single_lines(report: dict[str, Any]) -> list[str]:
    return [
        "## One URL at a time",
        "",
        "Each page read in a loop by wrk (one URL, so mostly the cache's best case; see the mixed "
        f"table for traffic): {report['connections']} connections, {report['page_duration_s']} s "
        "per page after a 2 s warm-up. Worker peak memory (MB): "
        f"{', '.join(str(v) for v in report['worker_peak_mb'].values())}",
        "",
        "| page | as | req/s | p50 ms | p99 ms | errors | SQL queries | vs floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {p['name']} | {p['user']} | {p['rps']:.1f} | {p['p50_ms']} | {p['p99_ms']} | "
            f"{p['errors']} | {p['queries']} | {p['vs_floor']} |"
            for p in report["pages"]
        ),
    ]


def write_report(report: dict[str, Any], prefix: str = "") -> str:
    """``prefix``: "cluster-" keeps the cluster's results apart from the single machine's."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    lines = [
        f"# Veche benchmark {report['when']}",
        "",
        *([f"Target: {report['target']}.", ""] if report.get("target") else []),
        f"Seeding: {report['seed_seconds']} s for {report['counts']}. Whole run: "
        f"{report['total_seconds']} s.",
        "",
    ]
    if report.get("mixed"):
        workers = report.get("gunicorn_workers", 2)
        cores, gunicorn = report["machine"]["cores"], report.get("gunicorn")
        lines += [*mixed_lines(report["mixed"], cores, workers, gunicorn), ""]
    if report.get("render_cost"):
        lines += [*render_lines(report["render_cost"]), ""]
    if report.get("pages"):
        lines += [*single_lines(report), ""]
    text = "\n".join(lines)
    for name in (f"{prefix}{stamp}", f"{prefix}latest"):
        (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        (RESULTS / f"{name}.md").write_text(text)
    return text
