"""`make run`'s last step: the development server and, beside it, a Celery worker with beat,
so the scheduled jobs (welcome letters, reminders, digests, rollups, referral qualification,
sanction expiry, the outbox) run in the demo as they do in production. One command; Ctrl-C
stops both.

The broker is kombu's filesystem transport (``VECHE_FILE_BROKER_DIR``): messages are files in
a directory, so the web process and the worker share it with no server to install. Both
write the same SQLite file, in write-ahead-log mode (``VECHE_SQLITE_SHARED``). E-mail goes to
the console: the worker prints the letters it sends in this same terminal.

    python -m ops.run_demo [ADDRESS]      # ADDRESS defaults to 127.0.0.1:8000
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


def demo_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment runserver and the worker share (``base``: the caller's)."""
    env = dict(os.environ if base is None else base)
    broker = Path(env.get("VECHE_FILE_BROKER_DIR") or VAR / "broker")
    broker.mkdir(parents=True, exist_ok=True)
    env["VECHE_FILE_BROKER_DIR"] = str(broker)
    env["VECHE_SQLITE_SHARED"] = "1"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def commands(address: str, env: dict[str, str]) -> list[list[str]]:
    beat_schedule = Path(env["VECHE_FILE_BROKER_DIR"]).parent / "celerybeat-schedule"
    return [
        [sys.executable, "manage.py", "runserver", address],
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--schedule",
            str(beat_schedule),
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            env.get("VECHE_WORKER_LOG_LEVEL", "warning"),
        ],
    ]


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask each process to stop, then kill what is still there after a few seconds."""
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str]) -> int:
    address = argv[0] if argv else "127.0.0.1:8000"
    env = demo_env()
    print(  # noqa: T201 - the developer's terminal
        f"Veche on http://{address}/ with a Celery worker and beat (broker: "
        f"{env['VECHE_FILE_BROKER_DIR']}). E-mails print below. Ctrl-C stops both.",
        flush=True,
    )
    processes = [subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in commands(address, env)]  # noqa: S603
    code = 0
    try:
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
        code = next(proc.returncode for proc in processes if proc.poll() is not None) or 1
    except KeyboardInterrupt:
        code = 0
    finally:
        stop(processes)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
