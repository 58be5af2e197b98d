"""The fault script (``make faults``; see ops/README.md): start the local cluster
(ops/cluster.py), load it through nginx (ops/load.py), break it on purpose one way at a time,
and check what users and the outbox saw.

For each scenario: reads and the share answered 200, the kinds of failed responses (Django's
503 page, its 500 page, nginx's 502/504, a bare page, no response), writes attempted,
accepted and found in PostgreSQL, read-your-writes, e-mails due (outbox rows), sent and
duplicated (Message-IDs in the file backend's output) and how long the backlog took to drain.
Prints a table, writes it to ops/results/faults-<stamp>.md and exits 1 when an acceptance
figure fails. Every wait has a deadline; the whole run is capped (``RUN_CAP_S``).
"""

import argparse
import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ops import cluster
from ops.accounting import (
    Mail,
    mail_state,
    outbox_max_id,
    query,
    replica_transactions,
    stored_tokens,
    stored_votes,
)
from ops.load import Load

RESULTS = Path(__file__).resolve().parent / "results"
RUN_CAP_S = 20 * 60  # a full run took 12 min on a loaded two-core machine
DRAIN_LIMIT_S = 120  # the acceptance: a backlog drained within 2 minutes
FAULT_S = 30  # Redis down or frozen, broker down: as long as the acceptance says


# --- keeping the cluster whole between scenarios -------------------------------------------


def ensure_healthy() -> None:
    """Whatever a scenario left broken is started again, each wait bounded."""
    for name, port in (("redis-cache", cluster.CACHE_PORT), ("redis-broker", cluster.BROKER_PORT)):
        cluster.signal_group(name, signal.SIGCONT)
        if cluster.pid_of(name) is None:
            cluster.start_redis(name, port)
    for name, _port in (cluster.PRIMARY, cluster.REPLICA):
        if subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(_port)], check=False
        ).returncode:
            cluster.pg_start(name)
    if cluster.psql(cluster.REPLICA[1], "SELECT pg_is_wal_replay_paused()") == "t":
        cluster.psql(cluster.REPLICA[1], "SELECT pg_wal_replay_resume()")
    for name in cluster.WORKERS:
        cluster.signal_group(name, signal.SIGCONT)
        if cluster.pid_of(name) is None:
            cluster.start_worker(name)
    for name in cluster.WEB_PORTS:
        if cluster.pid_of(name) is None:
            cluster.start_web(name)
    for name in cluster.WEB_PORTS:
        cluster.wait_until(partial(cluster.web_ready, name), 90, name)
    for name in cluster.WORKERS:
        cluster.wait_until(partial(cluster.worker_ready, name), 90, name)
    cluster.reload_nginx()
    cluster.wait_until(
        lambda: (
            cluster.psql(cluster.PRIMARY[1], "SELECT state FROM pg_stat_replication") == "streaming"
        ),
        60,
        "the replica to stream again",
    )


# --- scenarios ---------------------------------------------------------------------------


@dataclass
class Marks:
    """When the fault began and when it was repaired (monotonic seconds)."""

    fault_at: float = 0.0
    repaired_at: float = 0.0
    notes: list[str] = field(default_factory=list)


def pause(seconds: float) -> None:
    time.sleep(seconds)


def outage(
    marks: Marks, seconds: float, fault: Callable[[], object], repair: Callable[[], object]
) -> None:
    marks.fault_at = time.monotonic()
    fault()
    pause(seconds)
    repair()
    marks.repaired_at = time.monotonic()


def redis_stopped(name: str, port: int, marks: Marks) -> None:
    outage(
        marks,
        FAULT_S,
        partial(cluster.stop_process, name),
        partial(cluster.start_redis, name, port),
    )


def redis_frozen(marks: Marks) -> None:
    outage(
        marks,
        FAULT_S,
        partial(cluster.signal_group, "redis-cache", signal.SIGSTOP),
        partial(cluster.signal_group, "redis-cache", signal.SIGCONT),
    )


def database_restart(marks: Marks) -> None:
    primary = cluster.PRIMARY[0]
    outage(marks, 10, partial(cluster.pg_stop, primary), partial(cluster.pg_start, primary))


def replica_stopped(marks: Marks) -> None:
    replica = cluster.REPLICA[0]
    outage(marks, 10, partial(cluster.pg_stop, replica), partial(cluster.pg_start, replica))


def replica_paused(marks: Marks) -> None:
    marks.fault_at = time.monotonic()
    cluster.psql(cluster.REPLICA[1], "SELECT pg_wal_replay_pause()")
    pause(15)
    lag = cluster.psql(
        cluster.PRIMARY[1], "SELECT pg_wal_lsn_diff(sent_lsn, replay_lsn) FROM pg_stat_replication"
    )
    marks.notes.append(f"replay lag at the end of the pause: {lag} bytes")
    cluster.psql(cluster.REPLICA[1], "SELECT pg_wal_replay_resume()")
    marks.repaired_at = time.monotonic()


def web_killed(marks: Marks) -> None:
    marks.fault_at = time.monotonic()
    cluster.signal_group("web1", signal.SIGKILL)
    pause(5)
    cluster.start_web("web1")
    cluster.wait_until(lambda: cluster.web_ready("web1"), 90, "web1")
    marks.repaired_at = time.monotonic()


def worker_killed(marks: Marks) -> None:
    """worker2 paused for a moment so that worker1 is the one sending; worker1 killed
    (SIGKILL, its child too) as soon as an e-mail is claimed and not yet sent."""
    first = outbox_max_id()
    cluster.signal_group("worker2", signal.SIGSTOP)
    claimed = 0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not claimed:
        claimed = int(
            query(
                "SELECT count(*) FROM members_outboundemail "
                "WHERE id > %s AND claimed_at IS NOT NULL AND sent_at IS NULL",
                (first,),
            )[0][0]
        )
        if not claimed:
            time.sleep(0.02)
    marks.fault_at = time.monotonic()
    cluster.signal_group("worker1", signal.SIGKILL)
    cluster.signal_group("worker2", signal.SIGCONT)
    marks.notes.append(f"e-mails claimed and not sent when worker1 was killed: {claimed}")
    pause(5)
    cluster.start_worker("worker1")
    marks.repaired_at = marks.fault_at  # the drain counts from the crash


BACKLOG = 2000  # e-mails queued at once for the worker-killed-backlog scenario
BACKLOG_KILLS = 3


def enqueue_backlog(count: int) -> None:
    """Queue ``count`` e-mails at once (a digest to everyone would), through the outbox."""
    code = (
        "from members.models import Member\n"
        "from members.services import email_build\n"
        "from members.services_outbox import email_enqueue\n"
        "m = Member.objects.filter(is_active=True).order_by('pk').first()\n"
        f"email_enqueue([email_build(member=m, kind='system', subject=f'Backlog {{i}}',"
        f" template='email/welcome.txt') for i in range({count})])\n"
    )
    subprocess.run(
        [cluster.PY, "manage.py", "shell", "-c", code], cwd=cluster.ROOT,
        env=cluster.site_env(), check=True, stdout=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


def worker_killed_backlog(marks: Marks) -> None:
    """A backlog drained by both workers; worker1 killed (SIGKILL) BACKLOG_KILLS times while it
    sends, restarted each time: every kill lands among sends, so most land between a send
    and its record, the moment the sent journal covers (docs/jobs.md)."""
    first = outbox_max_id()
    enqueue_backlog(BACKLOG)
    log = cluster.DIR / "logs" / "worker1.log"
    for kill in range(BACKLOG_KILLS):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # worker1 holds claimed rows: it is sending
            held = query(
                "SELECT count(*) FROM members_outboundemail WHERE id > %s "
                "AND claimed_at IS NOT NULL AND sent_at IS NULL",
                (first,),
            )[0][0]
            if held:
                break
            time.sleep(0.05)
        pause(0.5 + kill * 0.3)
        if not kill:
            marks.fault_at = time.monotonic()
        readies = log.read_text(errors="replace").count("ready.")
        cluster.signal_group("worker1", signal.SIGKILL)
        pause(1)
        cluster.start_worker("worker1")

        def restarted(before: int = readies) -> bool:
            return log.read_text(errors="replace").count("ready.") > before

        cluster.wait_until(restarted, 90, "worker1")
    left = query(
        "SELECT count(*) FROM members_outboundemail WHERE id > %s AND sent_at IS NULL", (first,)
    )[0][0]
    marks.notes.append(f"{BACKLOG} e-mails queued; worker1 killed {BACKLOG_KILLS} times, "
                       f"{left} unsent after the last restart")  # fmt: skip
    marks.repaired_at = time.monotonic()  # the drain counts from the last restart


def gunicorn_sigterm(marks: Marks) -> None:
    """What ``systemctl stop`` or a deploy does to one node: SIGTERM to the master."""
    marks.fault_at = time.monotonic()
    pid = cluster.pid_of("web1")
    cluster.signal_group_leader("web1", signal.SIGTERM)
    if pid is not None:
        took = cluster.wait_until(
            lambda: not cluster._group_alive(pid), cluster.GRACEFUL_TIMEOUT_S + 10, "web1 to stop"
        )
        marks.notes.append(f"web1 stopped {took:.1f}s after SIGTERM")
    pause(3)
    cluster.start_web("web1")
    cluster.wait_until(lambda: cluster.web_ready("web1"), 90, "web1")
    marks.repaired_at = time.monotonic()


def web_drained(marks: Marks) -> None:
    """The documented way to stop a node (ops/README.md): out of nginx, drained, stopped."""
    marks.fault_at = time.monotonic()
    waited = cluster.drain_web("web1")
    marks.notes.append(f"web1 drained in {waited:.1f}s, then stopped")
    pause(3)
    cluster.start_web("web1")
    cluster.wait_until(lambda: cluster.web_ready("web1"), 90, "web1")
    cluster.reload_nginx()
    marks.repaired_at = time.monotonic()


def nothing(marks: Marks) -> None:
    marks.fault_at = marks.repaired_at = time.monotonic()
    pause(10)


@dataclass(frozen=True)
class Scenario:
    name: str
    fault: str
    run: Callable[[Marks], None]
    reads_99: bool = False  # acceptance: ≥ 99% of reads answer 200
    every_write: bool = False  # acceptance: every post accepted (and stored)
    only_503: bool = False  # acceptance: every failed response is the 503 page, recovers
    drain: bool = False  # acceptance: the e-mail backlog drained within DRAIN_LIMIT_S
    read_your_writes: bool = False
    no_failure: bool = False  # no failed request at all


SCENARIOS = [
    Scenario("baseline", "none (10 s)", nothing, reads_99=True, every_write=True),
    Scenario("redis-down", f"cache Redis stopped {FAULT_S} s",
             partial(redis_stopped, "redis-cache", cluster.CACHE_PORT), True, True),
    Scenario("redis-frozen", f"cache Redis SIGSTOP {FAULT_S} s", redis_frozen, True, True),
    Scenario("broker-down", f"broker Redis stopped {FAULT_S} s",
             partial(redis_stopped, "redis-broker", cluster.BROKER_PORT), every_write=True,
             drain=True),
    Scenario("database-restart", "primary stopped 10 s, started", database_restart,
             only_503=True, drain=True),
    Scenario("replica-stopped", "replica stopped 10 s", replica_stopped),
    Scenario("replica-lagging", "pg_wal_replay_pause() 15 s", replica_paused,
             read_your_writes=True),
    Scenario("web-node-killed", "web1 SIGKILL, back after 5 s", web_killed),
    Scenario("worker-killed", "worker1 SIGKILL mid-send", worker_killed, drain=True),
    Scenario("worker-killed-backlog", f"{BACKLOG} e-mails queued, worker1 SIGKILL ×"
             f"{BACKLOG_KILLS} while sending", worker_killed_backlog, drain=True),
    Scenario("gunicorn-sigterm", "web1 SIGTERM (graceful), restarted", gunicorn_sigterm),
    Scenario("web-node-drained", "web1 out of nginx, drained, stopped, back", web_drained,
             no_failure=True),
]  # fmt: skip


# --- running and judging a scenario ----------------------------------------------------------


@dataclass
class Outcome:
    scenario: Scenario
    reads: int = 0
    reads_ok: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    writes: int = 0
    accepted: int = 0
    stored: int = 0
    write_failures: Counter[str] = field(default_factory=Counter)
    ryw_seen: int = 0
    ryw_checked: int = 0
    recovery_s: float | None = None
    mail: Mail = field(default_factory=Mail)
    replica_tx: int | None = None
    notes: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def ok_share(self) -> float:
        return self.reads_ok / self.reads if self.reads else 0.0

    @property
    def passed(self) -> bool:
        return all(ok for _label, ok in self.checks)


class Runner:
    def __init__(self, material: dict[str, Any], run_started: float) -> None:
        self.material = material
        self.run_started = run_started
        self.any_mail_sent = False

    def run(self, index: int, scenario: Scenario) -> Outcome:
        cluster.log(f"scenario {scenario.name}: {scenario.fault}")
        prefix = f"fc{index:02d}x"
        first_mail = outbox_max_id()
        replica_before = replica_transactions()
        marks = Marks()
        load = Load(port=cluster.NGINX_PORT, material=self.material, prefix=prefix, seed=index)
        started = time.monotonic()
        load.start()
        try:
            pause(3)  # the load reaches its pace before the fault
            scenario.run(marks)
            pause(5)  # and goes on for a moment after the repair
        finally:
            load.stop()
        ended = time.monotonic()
        cluster.wait_until(
            lambda: cluster.psql(cluster.PRIMARY[1], "SELECT 1") == "1", 60, "the primary"
        )
        last_mail = outbox_max_id()
        outcome = Outcome(scenario, notes=marks.notes)
        self._reads(outcome, load, marks, started, ended)
        self._writes(outcome, load, prefix)
        replica_after = replica_transactions()
        if replica_before is not None and replica_after is not None:
            outcome.replica_tx = replica_after - replica_before
        outcome.mail = self._drain(scenario, first_mail, last_mail, marks)
        self._judge(outcome)
        ensure_healthy()
        return outcome

    def _reads(
        self, outcome: Outcome, load: Load, marks: Marks, started: float, ended: float
    ) -> None:
        reads = [r for r in load.reads if started <= r.at <= ended]
        outcome.reads = len(reads)
        outcome.reads_ok = sum(1 for r in reads if r.kind == "ok")
        outcome.failures = Counter(r.kind for r in reads if r.kind != "ok")
        if outcome.failures["503 page"]:
            with_header = sum(1 for r in reads if r.kind == "503 page" and r.retry_after)
            outcome.notes.append(
                f"503 pages with Retry-After: {with_header} of {outcome.failures['503 page']}"
            )
        failed_after = [r.at for r in reads if r.kind != "ok" and r.at >= marks.repaired_at]
        outcome.recovery_s = round(max(failed_after) - marks.repaired_at, 1) if failed_after else 0

    def _writes(self, outcome: Outcome, load: Load, prefix: str) -> None:
        writes = list(load.writes)
        outcome.writes = len(writes)
        accepted = [w for w in writes if w.response == "accepted"]
        outcome.accepted = len(accepted)
        outcome.write_failures = Counter(w.response for w in writes if w.response != "accepted")
        found = stored_tokens(prefix)
        votes = stored_votes({w.member for w in accepted if w.kind == "vote"})
        outcome.stored = sum(
            1
            for w in accepted
            if (w.kind == "vote" and (w.member, w.target) in votes)
            or (w.kind != "vote" and w.token in found.get(w.kind, set()))
        )
        published = set(
            token
            for (body,) in query(
                "SELECT body FROM forum_answer WHERE body LIKE %s AND moderation_state = %s",
                (f"Fault check {prefix}%", "published"),
            )
            for token in re.findall(re.escape(prefix) + r"\d+", body)
        )
        checked = [w for w in accepted if w.seen_next is not None and w.token in published]
        outcome.ryw_checked = len(checked)
        outcome.ryw_seen = sum(1 for w in checked if w.seen_next)

    def _drain(self, scenario: Scenario, first: int, last: int, marks: Marks) -> Mail:
        """Wait (bounded) until the scenario's e-mails are sent; the time from the repair."""
        limit = DRAIN_LIMIT_S + 15 if scenario.drain else 30
        mail = mail_state(first, last)
        while not mail.all_sent():
            self.any_mail_sent = self.any_mail_sent or mail.sent > 0
            waited = time.monotonic() - marks.repaired_at
            over_cap = time.monotonic() - self.run_started > RUN_CAP_S - 90
            # A site that has sent nothing at all by now is not going to (no Message-ID, a
            # broken backend): waiting the full limit would only stretch the run.
            hopeless = not self.any_mail_sent and waited > 10
            if waited > limit or over_cap or hopeless:
                return mail
            time.sleep(1)
            mail = mail_state(first, last)
        self.any_mail_sent = self.any_mail_sent or mail.sent > 0
        mail.drain_s = round(max(0.0, time.monotonic() - marks.repaired_at), 1)
        return mail

    def _judge(self, o: Outcome) -> None:
        s = o.scenario
        m = o.mail
        if s.reads_99:
            o.checks.append((f"reads 200 ≥ 99% ({o.ok_share:.1%})", o.ok_share >= 0.99))
        if s.every_write:
            o.checks.append(
                (f"every post accepted ({o.accepted}/{o.writes})", o.accepted == o.writes)
            )
        o.checks.append((f"accepted = stored ({o.accepted}/{o.stored})", o.accepted == o.stored))
        if s.only_503:
            responses = o.failures + o.write_failures
            bad = sum(n for kind, n in responses.items() if kind != "503 page")
            o.checks.append((f"every failed response a 503 page ({bad} other)", bad == 0))
            o.checks.append(
                (
                    f"recovers by itself ({o.recovery_s}s after restart)",
                    o.recovery_s is not None and o.recovery_s <= 30,
                )
            )
        if s.no_failure:
            count = sum(o.failures.values()) + sum(o.write_failures.values())
            o.checks.append((f"no failed request ({count})", count == 0))
        if s.read_your_writes:
            o.checks.append(
                (
                    f"read-your-writes ({o.ryw_seen}/{o.ryw_checked})",
                    o.ryw_checked > 0 and o.ryw_seen == o.ryw_checked,
                )
            )
        id_note = f", {m.without_id} without Message-ID" if m.without_id else ""
        o.checks.append((f"e-mails due = sent ({m.due}/{m.sent}{id_note})", m.all_sent()))
        o.checks.append((f"no duplicate e-mail ({m.duplicated})", m.duplicated == 0))
        if s.drain:
            o.checks.append(
                (
                    f"backlog drained ≤ {DRAIN_LIMIT_S}s "
                    f"({'not drained' if m.drain_s is None else f'{m.drain_s}s'})",
                    m.drain_s is not None and m.drain_s <= DRAIN_LIMIT_S,
                )
            )


# --- the report --------------------------------------------------------------------------


def _kinds(counter: Counter[str]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counter.most_common()) or "–"


def report(outcomes: list[Outcome], meta: dict[str, Any]) -> str:
    lines = [
        f"# Fault run {meta['when']}",
        "",
        f"Cluster started in {meta['start_s']}s; run {meta['total_s']}s; commit "
        f"{meta['commit']}; load: {meta['load']}. Webhooks: n/a (no webhooks yet).",
        "",
        "| scenario | fault | reads | 200 | failed reads | writes | accepted | stored | "
        "failed writes | RYW | e-mails due/sent/dup | drain s | replica tx | verdict |",
        "|---|---|---:|---:|---|---:|---:|---:|---|---:|---|---:|---:|---|",
    ]
    for o in outcomes:
        m = o.mail
        ryw = f"{o.ryw_seen}/{o.ryw_checked}"
        lines.append(
            f"| {o.scenario.name} | {o.scenario.fault} | {o.reads} | {o.ok_share:.1%} | "
            f"{_kinds(o.failures)} | {o.writes} | {o.accepted} | {o.stored} | "
            f"{_kinds(o.write_failures)} | {ryw} | {m.due}/{m.sent}/{m.duplicated} | "
            f"{m.drain_s if m.drain_s is not None else '–'} | "
            f"{o.replica_tx if o.replica_tx is not None else '–'} | "
            f"{'pass' if o.passed else 'FAIL'} |"
        )
    lines += ["", "## Checks", ""]
    for o in outcomes:
        lines.append(f"- **{o.scenario.name}**: " + "; ".join(
            f"{label} {'ok' if ok else 'FAILED'}" for label, ok in o.checks
        ) + "".join(f"; {note}" for note in o.notes)
            + f"; e-mails marked sent by the outbox {o.mail.marked_sent}")  # fmt: skip
    return "\n".join(lines) + "\n"


def load_material() -> dict[str, Any]:
    out = cluster.DIR / "material.json"
    subprocess.run(
        [cluster.PY, "manage.py", "bench_mixed_prepare", "--out", str(out),
         "--questions", "200", "--members", "100"],
        cwd=cluster.ROOT, env=cluster.site_env(), check=True, stdout=subprocess.DEVNULL,
        timeout=120,
    )  # fmt: skip
    return dict(json.loads(out.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="use a cluster already running")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args()
    wanted = {n for n in args.only.split(",") if n}
    scenarios = [s for s in SCENARIOS if not wanted or s.name in wanted]
    run_started = time.monotonic()
    # The whole run is capped: a scenario that hangs past the cap ends the run.
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("fault run over its time cap"))
    signal.alarm(RUN_CAP_S)
    outcomes: list[Outcome] = []
    start_s: float = 0.0
    try:
        if not args.reuse:
            start_s = cluster.start()["total"]
        material = load_material()
        runner = Runner(material, run_started)
        for index, scenario in enumerate(scenarios, 1):
            outcomes.append(runner.run(index, scenario))
            o = outcomes[-1]
            cluster.log(
                f"  {scenario.name}: {'pass' if o.passed else 'FAIL'} — "
                + "; ".join(f"{label} {'ok' if ok else 'FAILED'}" for label, ok in o.checks)
            )
    finally:
        signal.alarm(0)
        if not args.keep:
            cluster.stop()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=cluster.ROOT, capture_output=True, text=True
    ).stdout.strip()
    text = report(
        outcomes,
        {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "start_s": start_s,
            "total_s": round(time.monotonic() - run_started),
            "commit": commit,
            "load": "6 readers (half signed in), 4 writers (answers 40%, comments 40%, "
            "up-votes 20%, one write per 0.6 s each) through nginx",
        },
    )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"faults-{datetime.now(UTC):%Y%m%d-%H%M%S}.md"
    path.write_text(text)
    print(text)
    cluster.log(f"written to {path}")
    failed = [o.scenario.name for o in outcomes if not o.passed]
    if failed or len(outcomes) < len(scenarios):
        sys.exit(f"acceptance failed: {', '.join(failed) or 'the run did not finish'}")


if __name__ == "__main__":
    main()
