"""The mixed workload: what community traffic does, measured as a whole.

Readers (wrk with bench/lua/mixed.lua) pick every request from a long list of paths (see
bench/paths.py), anonymous or signed in as one of ~300 members; at the same time a paced writer
(bench/writer.py) sends votes, answers, comments, follows and log-ins at 0, 2 or 20 writes per
second. Every row warms up on the same traffic first. The same rows run with the site's caches
on and off (``VECHE_PAGE_CACHE_SECONDS=0``), each against the floor measured on that server.
"""

import argparse
import json
import random
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from .common import (
    ROOT,
    ExternalServer,
    Server,
    log,
    manage,
    parse_wrk,
    peak_memory_mb,
    run_wrk,
    start_gunicorn,
    uncached_env,
    wrk_command,
)
from .paths import read_paths
from .writer import Member, Site, Writer, member_address, obtain_csrf, summarize

LUA = ROOT / "bench" / "lua" / "mixed.lua"
USERS = ("anonymous", "member")
CACHES = ("on", "off")
NEAR_FLOOR_S = 5  # the floor read again just before each row
# wrk start, writer drain, between the warm-up and the measured window; the floor before it
ROW_OVERHEAD_S = 3 + NEAR_FLOOR_S
TAIL_WARM_S = 120  # --warm-tail: ~12,000 fetches
SERVER_OVERHEAD_S = 15  # gunicorn start, path check, first CSRF tokens
# The write lane runs ahead of the readers for the CPU (docs/deployment.md: ``Nice=-5``): with
# readers keeping both cores busy, a write at the same priority waited a time slice behind
# them at each of its database and cache trips.
LANE_NICE = -5
# Where config/cache.py keeps the versions of the two widest scopes (KEY_PREFIX "veche", key
# version 1): a touch of ``site`` makes every cached page stale, one of ``questions`` the lists.
SCOPE_KEYS = ("veche:1:veche:v:site", "veche:1:veche:v:questions")


def empty_cache(redis_url: str) -> None:
    """Each server's rows start from an empty cache: what a run less than
    ``VECHE_PAGE_CACHE_SECONDS`` earlier stored would otherwise still be served (four runs back
    to back read 68, 84, 102 and 81 member req/s). Sessions are ``cached_db``: they come back
    from the database."""
    redis.Redis.from_url(redis_url).flushdb()


def scope_versions(redis_url: str) -> list[int] | None:
    try:
        values = redis.Redis.from_url(redis_url).mget(SCOPE_KEYS)
    except redis.RedisError:
        return None
    return [int(v) if v is not None else 0 for v in values]


@dataclass
class Workload:
    material: dict[str, Any]
    members: list[Member]
    paths_file: Path
    cookies_file: Path
    coverage: dict[str, Any]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def prepare_workload(env: dict[str, str], args: argparse.Namespace, workdir: Path) -> Workload:
    raw = workdir / "mixed-material.json"
    out = manage(
        env,
        "bench_mixed_prepare",
        "--out",
        str(raw),
        "--questions",
        str(args.mixed_questions),
        "--members",
        str(args.mixed_members),
        capture=True,
    )
    log("mixed workload: " + out.strip())
    material = json.loads(raw.read_text())
    built = read_paths(material, lines=args.mixed_lines)
    paths_file = workdir / "mixed-paths.txt"
    paths_file.write_text("\n".join(built.pop("paths")) + "\n")
    cookies_file = workdir / "mixed-cookies.txt"
    cookies_file.write_text("\n".join(m["cookie"] for m in material["members"]) + "\n")
    members = [
        Member(id=m["id"], username=m["username"], session=m["cookie"], address=member_address(i))
        for i, m in enumerate(material["members"])
    ]
    built["members"] = len(members)
    built["questions"] = len(material["questions"])
    log(
        "reads: "
        + ", ".join(f"{kind} {n} distinct" for kind, n in built["distinct"].items())
        + f"; searches {built['searches']}"
    )
    return Workload(material, members, paths_file, cookies_file, built)


def check_paths(base: str, workload: Workload, sample: int = 80) -> dict[str, int]:
    """A sample of the read paths fetched once, anonymous and signed in: the statuses should
    all be 200 (a redirect or a 404 here would be measured as if it were the page)."""
    rng = random.Random(5)
    paths = workload.paths_file.read_text().split()
    statuses: Counter = Counter()
    for i, path in enumerate(rng.sample(paths, min(sample, len(paths)))):
        status = fetch(base + path, workload, i if i % 2 else None, timeout=30)
        statuses[status] += 1
        if status.isdigit() and status != "200":
            log(f"  read path check: {status} for {path}")
    return dict(statuses)


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, workload: Workload, member: int | None, timeout: float) -> str:
    """GET ``url`` (no redirect followed), signed in as member number ``member`` (in turn
    over the workload's members) or as a visitor: the status, or the socket error's name."""
    request = urllib.request.Request(url)
    if member is not None and workload.members:
        request.add_header("Cookie", workload.members[member % len(workload.members)].session)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as exc:
        return str(exc.code)
    except OSError as exc:
        return type(exc).__name__


def warm_tail(base: str, workload: Workload) -> dict[str, Any]:
    """Every distinct read path fetched once as a visitor and once signed in (as one of the
    members, in turn): the long tail as a community that has been running holds it in its
    cache, where the rows' own warm-up reaches only the pages it happens to draw
    (``--warm-tail``; the rows are then labelled ``tail warm``)."""
    paths = sorted(set(workload.paths_file.read_text().split()))
    jobs = [
        (path, i if signed_in else None)
        for signed_in in (False, True)
        for i, path in enumerate(paths)
    ]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = Counter(pool.map(lambda job: fetch(base + job[0], workload, job[1], 60), jobs))
    seconds = round(time.monotonic() - started, 1)
    log(f"  tail warmed: {len(paths)} paths, visitor and member, in {seconds} s: {dict(statuses)}")
    return {"paths": len(paths), "seconds": seconds, "statuses": dict(statuses)}


def obtain_tokens(port: int, workload: Workload) -> int:
    """Each member reads a question page once before writing, as a browser would: that gives
    the CSRF cookie and token it posts with."""
    site = Site(port)
    questions = [q["url"] for q in workload.material["questions"]]

    def one(member: Member) -> bool:
        return obtain_csrf(site, member, questions[member.id % len(questions)])

    with ThreadPoolExecutor(max_workers=4) as pool:
        ready = sum(pool.map(one, workload.members))
    return ready


def run_reads(base: str, workload: Workload, user: str, duration: float, connections: int) -> dict:
    cmd = wrk_command(duration, connections, ["-s", str(LUA)])
    cmd += [base, "--", str(workload.paths_file)]
    if user == "member":
        cmd.append(str(workload.cookies_file))
    output = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=duration + 60)
    return parse_wrk(output.stdout)


def run_row(
    base: str,
    site: Site,
    workload: Workload,
    *,
    user: str,
    rate: float,
    args: argparse.Namespace,
    seed: int,
) -> dict[str, Any]:
    """Warm-up on the same traffic (reads and writes), then the measured window."""
    for phase, seconds in (("warm-up", args.warmup), ("measured", args.duration)):
        if seconds <= 0:
            continue
        writer = Writer(
            site=site,
            material=workload.material,
            members=workload.members,
            rate=rate,
            duration=seconds,
            seed=seed + (0 if phase == "warm-up" else 1),
            mix=args.write_mix,
        )
        versions_before = scope_versions(args.redis_url)
        writer.start()
        reads = run_reads(base, workload, user, seconds, args.connections)
        versions_after = scope_versions(args.redis_url)
        writes = summarize(writer.join())
    touches = None
    if versions_before and versions_after and seconds > 0:
        touches = "/".join(
            str(round((after - before) / seconds, 1)) if before else "–"
            for before, after in zip(versions_before, versions_after, strict=True)
        )
    return {**reads, "writes": writes, "scope_touches_per_s": touches}


def _row(
    base: str,
    site: Site,
    workload: Workload,
    user: str,
    rate: float,
    cache: str,
    floor: dict[str, Any],
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
) -> dict[str, Any]:
    # The machine's speed drifts by a quarter within minutes (a shared host): the share of the
    # floor is taken against a floor read just before the row, not minutes earlier.
    near = run_wrk(base + "/_bench/floor/", None, NEAR_FLOOR_S, args.connections)
    row = run_row(base, site, workload, user=user, rate=rate, args=args, seed=len(rows) * 10)
    row.update(
        user=user,
        writes_per_s=rate,
        cache=cache,
        floor_rps=round(near["rps"], 1),
        vs_floor=round(row["rps"] / near["rps"], 3) if near["rps"] else None,
        vs_start_floor=round(row["rps"] / floor["rps"], 3) if floor["rps"] else None,
    )
    w = row["writes"]
    log(
        f"  {user:<9} {rate:>4g} w/s {cache:<15} {row['rps']:>8.1f} req/s  p50 "
        f"{row['p50_ms']} ms  p99 {row['p99_ms']} ms  floor {near['rps']:.0f} "
        f"({row['vs_floor']})  errors {row['errors']}  "
        f"| writes {w['count']} p50 {w['p50_ms']} p99 {w['p99_ms']} "
        f"errors {w['errors']} {w['error_kinds'] or ''}"
    )
    return row


def _server_figures(
    server: Server | ExternalServer, workers: list[int], checked: dict[str, int]
) -> dict[str, Any]:
    errors = [line for line in server.error_lines() if "Traceback" in line or "ERROR" in line]
    return {
        "path_check": checked,
        "worker_peak_mb": [round(v, 1) for v in peak_memory_mb(workers).values()],
        "server_error_lines": len(errors),
        "server_error_examples": sorted(set(errors))[:5],
    }


def measure_mixed(
    env: dict[str, str],
    args: argparse.Namespace,
    workload: Workload,
    workdir: Path,
    external: ExternalServer | None = None,
) -> dict[str, Any]:
    """``external``: measure a site already running (the cluster) instead of a gunicorn
    started here for each caches setting."""
    rows: list[dict[str, Any]] = []
    tail: dict[str, Any] | None = None
    floors: dict[str, dict] = {}
    servers: dict[str, dict] = {}
    tokens_ready = None
    for cache in args.mixed_caches:
        server_env = env if cache == "on" else uncached_env(env)
        if not external:
            empty_cache(args.redis_url)
        server: Server | ExternalServer = external or start_gunicorn(
            server_env, args.port, workdir / f"gunicorn-mixed-cache-{cache}.log"
        )
        try:
            workers = server.workers()
            run_wrk(server.base + "/_bench/floor/", None, 2, args.connections)
            floor = run_wrk(server.base + "/_bench/floor/", None, args.duration, args.connections)
            floors[cache] = floor
            log(f"mixed, cache {cache}: floor {floor['rps']:.1f} req/s p50 {floor['p50_ms']} ms")
            checked = check_paths(server.base, workload)
            log(f"  read path check: {checked}")
            if tokens_ready is None:
                tokens_ready = obtain_tokens(server.port, workload)
                log(f"  {tokens_ready} of {len(workload.members)} members hold a CSRF token")
            label = cache
            if cache == "on" and args.warm_tail:
                tail = warm_tail(server.base, workload)
                label = "on, tail warm"
            site = Site(server.port)
            for user in USERS:
                for rate in args.write_rates:
                    rows.append(
                        _row(server.base, site, workload, user, rate, label, floor, args, rows)
                    )
            servers[cache] = _server_figures(server, workers, checked)
            if cache == "on" and args.write_lane and not external and max(args.write_rates) > 0:
                lane = start_gunicorn(
                    server_env,
                    args.port + 1,
                    workdir / "gunicorn-mixed-lane.log",
                    workers=args.lane_workers,
                    nice=LANE_NICE,
                )
                try:
                    site = Site(server.port, write_port=lane.port)
                    for user in USERS:
                        row = _row(
                            server.base,
                            site,
                            workload,
                            user,
                            max(args.write_rates),
                            label.replace("on", "on + write lane", 1),
                            floor,
                            args,
                            rows,
                        )
                        rows.append(row)
                    servers["write lane"] = _server_figures(lane, lane.workers(), {})
                finally:
                    lane.stop()
        finally:
            server.stop()
    return {
        "rows": rows,
        "floors": floors,
        "servers": servers,
        "tokens_ready": tokens_ready,
        "tail_warmed": tail,
        "coverage": workload.coverage,
        "write_mix": args.write_mix,
        "write_lane": bool(args.write_lane),
        "lane_workers": args.lane_workers,
        "warmup_s": args.warmup,
        "duration_s": args.duration,
        "connections": args.connections,
    }


def estimate_mixed_seconds(args: argparse.Namespace) -> float:
    rows = len(USERS) * len(args.write_rates)
    per_server = (
        SERVER_OVERHEAD_S
        + 2
        + args.duration
        + rows * (args.warmup + args.duration + ROW_OVERHEAD_S)
    )
    lane = 0.0
    if args.write_lane and "on" in args.mixed_caches and max(args.write_rates, default=0) > 0:
        lane = SERVER_OVERHEAD_S + len(USERS) * (args.warmup + args.duration + ROW_OVERHEAD_S)
    tail = TAIL_WARM_S if args.warm_tail and "on" in args.mixed_caches else 0
    return len(args.mixed_caches) * per_server + lane + tail
