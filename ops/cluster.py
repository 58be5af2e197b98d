"""A local Veche cluster on loopback, in one command (``make cluster``; see ops/README.md).

PostgreSQL primary (5441) and a streaming replica (5442, ``pg_createcluster`` +
``pg_basebackup``), Redis for the cache (6391) and another for the Celery broker (6392), two
gunicorn web nodes (8111, 8112) behind nginx (8110), two Celery workers and one beat, one upload
directory shared by every node. Production settings, a throwaway secret, plain HTTP.

Everything lives in the cluster directory (``VECHE_CLUSTER_DIR``, default /tmp/veche-cluster,
where the postgres user can write its logs too): logs/, run/ (pid files), mail/ (the file
e-mail backend's output), media/, nginx.conf. Every wait has a deadline; ``stop`` kills what
``start`` started and drops both PostgreSQL clusters; ``start`` stops a leftover first.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Under /tmp so that the postgres user can write its logs there whatever the checkout's
# permissions; start() refuses a directory someone else owns (or a symlink).
DIR = Path(os.environ.get("VECHE_CLUSTER_DIR", "/tmp/veche-cluster"))  # noqa: S108
BIN = ROOT / ".venv" / "bin"
PY = str(BIN / "python") if (BIN / "python").exists() else sys.executable
PG_VERSION = os.environ.get("VECHE_CLUSTER_PG", "15")
PRIMARY, REPLICA = ("veche-primary", 5441), ("veche-replica", 5442)
DB_NAME = "veche"
CACHE_PORT, BROKER_PORT = 6391, 6392
WEB_PORTS = {"web1": 8111, "web2": 8112}
NGINX_PORT = 8110
WORKERS = ("worker1", "worker2")
BASE_URL = f"http://127.0.0.1:{NGINX_PORT}"
# A key for this throwaway cluster only (long and varied enough for `check --deploy`).
SECRET_KEY = "cluster-throwaway-7d1e9a3c5b2f4e6081a3c5e7f9b1d3a5c7e9f1b3d5"
GRACEFUL_TIMEOUT_S = 20
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 25


def log(message: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}"


def site_env() -> dict[str, str]:
    """The settings every node of the cluster runs with (config/settings.py reads them).
    Names another branch adds (DATABASE_REPLICA_URLS, CELERY_BROKER_URL, EMAIL_FILE_PATH)
    are set already: settings that do not know them yet ignore them."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"{BASE_URL},http://localhost:{NGINX_PORT}",
            # Plain HTTP on loopback: no redirect to HTTPS, cookies a browser keeps over HTTP.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "VECHE_STAFF_MFA_REQUIRED": "0",
            "VECHE_SITE_URL": BASE_URL,
            "VECHE_TRUSTED_PROXY_COUNT": "1",  # nginx: per-address limits see the visitor
            # The benchmark's commands and floor view (bench/): `make bench-cluster`, and the
            # fault script's signed-in members.
            "VECHE_BENCH": "1",
            "DATABASE_URL": database_url(PRIMARY[1]),
            "DATABASE_REPLICA_URLS": database_url(REPLICA[1]),
            "REDIS_URL": f"redis://127.0.0.1:{CACHE_PORT}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{BROKER_PORT}/0",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(DIR / "mail"),
            "VECHE_OUTBOX_JOURNAL_DIR": str(DIR / "journal"),
            "DJANGO_MEDIA_ROOT": str(DIR / "media"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --- processes -------------------------------------------------------------------------


def _pidfile(name: str) -> Path:
    return DIR / "run" / f"{name}.pid"


def pid_of(name: str) -> int | None:
    try:
        pid = int(_pidfile(name).read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _running(pid) else None


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    _reap(pid)
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _reap(pid: int) -> None:
    """Collect a child that has exited (the fault script restarts nodes itself)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def spawn(name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
    """Start a process in its own session (its pid is its process group), output to
    logs/<name>.log, pid to run/<name>.pid."""
    with (DIR / "logs" / f"{name}.log").open("ab") as out:
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or site_env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _pidfile(name).write_text(str(proc.pid))
    return proc.pid


def signal_group(name: str, sig: signal.Signals) -> int | None:
    """Send ``sig`` to a component's whole process group (master and children)."""
    pid = pid_of(name)
    if pid is None:
        return None
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return None
    return pid


def stop_process(name: str, sig: signal.Signals = signal.SIGTERM) -> None:
    pid = signal_group(name, sig)
    if pid is None:
        _pidfile(name).unlink(missing_ok=True)
        return
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline and _group_alive(pid):
        time.sleep(0.2)
    if _group_alive(pid):
        log(f"{name} still running after {STOP_TIMEOUT_S}s: SIGKILL")
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait_until(lambda: not _group_alive(pid), 10, f"{name} to die")
    _pidfile(name).unlink(missing_ok=True)


def _group_alive(pgid: int) -> bool:
    _reap(pgid)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds it took; SystemExit after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if check():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001, S110 - not ready yet, whatever the reason
            pass
        time.sleep(0.25)
    raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what} (logs: {DIR}/logs)")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_status(url: str, timeout: float = 3) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def manage(*argv: str, quiet: bool = True) -> None:
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(
        [PY, "manage.py", *argv], cwd=ROOT, env=site_env(), check=True, stdout=out, timeout=600
    )


# --- PostgreSQL ------------------------------------------------------------------------


def pg(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """A PostgreSQL (or nginx) command line; its error output in the exception."""
    result = subprocess.run(list(argv), capture_output=True, text=True, timeout=120)
    if check and result.returncode:
        raise SystemExit(f"{' '.join(argv[:4])}… failed:\n{result.stderr.strip()}")
    return result


def pg_clusters() -> set[str]:
    out = pg("pg_lsclusters", "--no-header", check=False).stdout
    return {line.split()[1] for line in out.splitlines() if line.split()[:1] == [PG_VERSION]}


def pg_datadir(name: str) -> Path:
    return Path(f"/var/lib/postgresql/{PG_VERSION}/{name}")


def psql(port: int, sql: str, database: str = "postgres") -> str:
    return pg(
        "psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database,
        "-XAtqc", sql,
    ).stdout.strip()  # fmt: skip


def pg_start(name: str) -> None:
    pg("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, name, "start")


def pg_stop(name: str, mode: str = "fast") -> None:
    pg("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, name, "stop", "-m", mode)


def create_pg_clusters() -> None:
    pg_dir = DIR / "pg"
    pg_dir.mkdir(exist_ok=True)
    shutil.chown(pg_dir, "postgres", "postgres")
    options = [
        "-o", "ssl=off",
        "-o", "max_connections=200",
        # Enough WAL kept for a replica stopped or paused for minutes to catch up.
        "-o", "wal_keep_size=512MB",
        "-o", "hot_standby_feedback=on",
    ]  # fmt: skip
    for name, port in (PRIMARY, REPLICA):
        pg(
            "pg_createcluster", PG_VERSION, name, "--port", str(port),
            "--start-conf", "manual", "-l", str(pg_dir / f"{name}.log"), *options,
            "--", "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
    pg_start(PRIMARY[0])
    # The replica is a base backup of the primary, streaming from it (-R writes
    # standby.signal and primary_conninfo).
    datadir = pg_datadir(REPLICA[0])
    for entry in datadir.iterdir():  # the directory stays: postgres may not create it
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    pg(
        "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1",
        "-p", str(PRIMARY[1]), "-U", "postgres", "-D", str(datadir), "-R", "-X", "stream",
        "-c", "fast",
    )  # fmt: skip
    pg_start(REPLICA[0])
    psql(PRIMARY[1], f"CREATE DATABASE {DB_NAME}")
    wait_until(
        lambda: psql(PRIMARY[1], "SELECT state FROM pg_stat_replication") == "streaming",
        30,
        "the replica to stream",
    )


def drop_pg_clusters() -> None:
    for name in (REPLICA[0], PRIMARY[0]):
        if name in pg_clusters():
            pg("pg_dropcluster", "--stop", PG_VERSION, name, check=False)


# --- the other components ----------------------------------------------------------------


def start_redis(name: str, port: int) -> None:
    spawn(
        name,
        [
            "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--daemonize", "no", "--dir", str(DIR / "run"),
        ],
    )  # fmt: skip
    wait_until(lambda: port_open(port), 15, f"{name} on {port}")


def start_web(name: str) -> None:
    port = WEB_PORTS[name]
    spawn(
        name,
        [
            str(BIN / "gunicorn"), "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2",
            # SIGTERM lets requests in progress finish (up to this long) before workers exit.
            "--graceful-timeout", str(GRACEFUL_TIMEOUT_S), "--timeout", "60",
            "--access-logfile", str(DIR / "logs" / f"{name}-access.log"),
            "--access-logformat", '%(h)s "%(r)s" %(s)s %(M)sms',
            "--log-level", "warning",
        ],
    )  # fmt: skip


def web_ready(name: str) -> bool:
    return http_status(f"http://127.0.0.1:{WEB_PORTS[name]}/health/") == 200


def start_worker(name: str) -> None:
    spawn(
        name,
        [
            str(BIN / "celery"), "-A", "config", "worker", "-n", f"{name}@veche-cluster",
            "--concurrency", "1", "--loglevel", "info", "--without-gossip", "--without-mingle",
        ],
    )  # fmt: skip


def worker_ready(name: str) -> bool:
    return "ready." in (DIR / "logs" / f"{name}.log").read_text(errors="replace")


def start_beat() -> None:
    (DIR / "run" / "beat-celery.pid").unlink(missing_ok=True)
    spawn(
        "beat",
        [
            str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "info",
            "--schedule", str(DIR / "run" / "celerybeat-schedule"),
            "--pidfile", str(DIR / "run" / "beat-celery.pid"),
        ],
    )  # fmt: skip


NGINX_CONF = """\
{user}worker_processes 1;
daemon off;
pid {dir}/run/nginx-master.pid;
error_log {dir}/logs/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  log_format veche '$remote_addr "$request" $status $upstream_addr $upstream_status '
                   '${{request_time}}s';
  access_log {dir}/logs/nginx-access.log veche;
  client_body_temp_path {dir}/nginx/body;
  proxy_temp_path {dir}/nginx/proxy;
  fastcgi_temp_path {dir}/nginx/fastcgi;
  uwsgi_temp_path {dir}/nginx/uwsgi;
  scgi_temp_path {dir}/nginx/scgi;
  upstream veche {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 10m;
    location /media/ {{ alias {dir}/media/; }}
    location / {{
      proxy_pass http://veche;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A node that refuses or drops the connection, or does not answer in time: the request
      # goes to the other node (nginx never resends a POST it has already passed on).
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }}
  }}
}}
"""


def write_nginx_conf(down: frozenset[str] = frozenset()) -> Path:
    """``down``: nodes nginx sends nothing new to (draining one before stopping it)."""
    servers = "\n".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s{' down' if name in down else ''};"
        for name, port in WEB_PORTS.items()
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = DIR / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, dir=DIR, servers=servers, port=NGINX_PORT))
    return conf


def start_nginx() -> None:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (DIR / "nginx" / sub).mkdir(parents=True, exist_ok=True)
    conf = write_nginx_conf()
    pg("nginx", "-t", "-q", "-c", str(conf), "-p", str(DIR / "nginx"))
    spawn("nginx", ["nginx", "-c", str(conf), "-p", str(DIR / "nginx")])
    wait_until(lambda: port_open(NGINX_PORT), 15, "nginx")


def reload_nginx(down: frozenset[str] = frozenset()) -> None:
    """New configuration, gracefully: old nginx workers finish the requests they hold."""
    write_nginx_conf(down)
    signal_group_leader("nginx", signal.SIGHUP)


def signal_group_leader(name: str, sig: signal.Signals) -> None:
    pid = pid_of(name)
    if pid is not None:
        os.kill(pid, sig)


def connections_to(port: int) -> int:
    """Established TCP connections to a loopback port (nginx's requests a node holds)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "01" and int(fields[2].rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def drain_web(name: str) -> float:
    """Stop one web node without failing a request: nginx stops sending it new ones first;
    once nginx holds no connection to it (its old workers finish the requests they hold),
    gunicorn gets SIGTERM and exits. A bare SIGTERM resets the connections waiting in the
    node's listen queue, and nginx cannot resend a POST it has passed on. Seconds waited."""
    reload_nginx(down=frozenset({name}))
    # The reload is asynchronous: until nginx's new workers replace the old ones, an old
    # worker may still open a connection to the node. A moment between two requests showed
    # no connection once ("drained in 0.0s") and the next write got a 502: wait until nginx
    # has no worker shutting down and the node has had no connection for a second.
    quiet_since: list[float] = []  # when the node last became quiet (empty: busy)

    def drained() -> bool:
        if old_nginx_workers() or connections_to(WEB_PORTS[name]):
            quiet_since.clear()
            return False
        quiet_since[:] = quiet_since or [time.monotonic()]
        return time.monotonic() - quiet_since[0] >= 1.0

    time.sleep(0.5)
    waited = wait_until(drained, GRACEFUL_TIMEOUT_S, f"{name} to drain") + 0.5
    stop_process(name)
    return waited


def old_nginx_workers() -> int:
    """nginx workers of a configuration replaced by a reload, still finishing requests."""
    count = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"nginx: worker process is shutting down" in cmdline.read_bytes():
                count += 1
        except OSError:
            continue
    return count


# --- start, stop, status ---------------------------------------------------------------

SERVICES = ("nginx", "web1", "web2", "worker1", "worker2", "beat", "redis-cache", "redis-broker")


def seed(scale: float | None) -> None:
    if scale is None:
        manage("seed_demo", "--quiet")
        return
    # The benchmark's community, scaled (bench/run.py), for `make bench-cluster`.
    from bench.run import sizes  # lazy: bench is only needed for a benchmark seeding

    argv = ["seed_demo", "--quiet"]
    for key, value in sizes(scale).items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    manage(*argv)


def start(scale: float | None = None) -> dict[str, float]:
    """Start everything; the seconds each step took."""
    if DIR.is_symlink() or (DIR.exists() and DIR.stat().st_uid != os.geteuid()):
        raise SystemExit(f"{DIR} is a symlink or belongs to someone else: not using it")
    if DIR.exists() and (any((DIR / "run").glob("*.pid")) or pg_clusters() & {PRIMARY[0]}):
        log("a cluster is left over: stopping it first")
        stop()
    # Each run's logs and mail alone: the fault script counts what the file backend wrote.
    shutil.rmtree(DIR, ignore_errors=True)
    timings: dict[str, float] = {}
    started = time.monotonic()
    for sub in ("logs", "run", "mail", "media"):
        (DIR / sub).mkdir(parents=True, exist_ok=True)

    def step(label: str, action: Callable[[], object]) -> None:
        at = time.monotonic()
        log(label)
        action()
        timings[label] = round(time.monotonic() - at, 1)

    step("PostgreSQL primary and streaming replica", create_pg_clusters)

    def redis() -> None:
        start_redis("redis-cache", CACHE_PORT)
        start_redis("redis-broker", BROKER_PORT)

    step("Redis for the cache and for the broker", redis)
    step("migrate", lambda: manage("migrate", "--noinput"))
    step("seed", lambda: seed(scale))
    step("collectstatic", lambda: manage("collectstatic", "--noinput"))

    def web_and_jobs() -> None:
        for name in WEB_PORTS:
            start_web(name)
        for name in WORKERS:
            start_worker(name)
        start_beat()
        for name in WEB_PORTS:
            wait_until(partial(web_ready, name), START_TIMEOUT_S, f"{name}")
        for name in WORKERS:
            wait_until(partial(worker_ready, name), START_TIMEOUT_S, f"{name}")

    step("web nodes, workers and beat", web_and_jobs)
    step("nginx", start_nginx)
    wait_until(lambda: http_status(BASE_URL + "/") == 200, 30, "the home page through nginx")
    timings["total"] = round(time.monotonic() - started, 1)
    (DIR / "run" / "started.json").write_text(json.dumps(timings))
    return timings


def stop() -> None:
    for name in SERVICES:
        stop_process(name)
    drop_pg_clusters()
    log("stopped: processes ended, PostgreSQL clusters dropped")


def status() -> dict[str, str]:
    state: dict[str, str] = {}
    for name in SERVICES:
        pid = pid_of(name)
        state[name] = f"up (pid {pid})" if pid else "down"
    clusters = pg_clusters()
    for name, port in (PRIMARY, REPLICA):
        if name not in clusters:
            state[name] = "absent"
            continue
        ready = pg("pg_isready", "-h", "127.0.0.1", "-p", str(port), check=False).returncode == 0
        state[name] = f"{'up' if ready else 'down'} (port {port})"
    if PRIMARY[0] in clusters and state[PRIMARY[0]].startswith("up"):
        lag = psql(
            PRIMARY[1],
            "SELECT state || ', replay lag ' || pg_wal_lsn_diff(sent_lsn, replay_lsn) || ' bytes'"
            " FROM pg_stat_replication",
        )
        state["replication"] = lag or "no replica connected"
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("start", "stop", "status", "restart-web"))
    parser.add_argument("--scale", type=float, help="seed the benchmark's community × SCALE")
    parser.add_argument("--node", choices=tuple(WEB_PORTS), help="restart-web: which node")
    args = parser.parse_args()
    if args.command == "start":
        try:
            timings = start(args.scale)
        except BaseException:
            log(f"start failed; logs kept in {DIR}/logs; stopping what was started")
            stop()
            raise
        log(f"up in {timings['total']:.0f}s: " + json.dumps(timings))
        print(
            f"\n  site      {BASE_URL}/  (demo members' password: veche-demo; admin: admin)\n"
            f"  nodes     http://127.0.0.1:{WEB_PORTS['web1']}/  "
            f"http://127.0.0.1:{WEB_PORTS['web2']}/\n"
            f"  database  {database_url(PRIMARY[1])}  (replica {database_url(REPLICA[1])})\n"
            f"  redis     cache :{CACHE_PORT}, broker :{BROKER_PORT}\n"
            f"  files     {DIR} (logs/, mail/, media/)\n"
            f"  stop it   make cluster-stop\n"
        )
    elif args.command == "stop":
        stop()
    elif args.command == "restart-web":
        for name in [args.node] if args.node else list(WEB_PORTS):
            drain_web(name)
            start_web(name)
            wait_until(partial(web_ready, name), START_TIMEOUT_S, name)
            reload_nginx()
            log(f"{name} restarted")
    else:
        for name, value in status().items():
            print(f"  {name:<14} {value}")


if __name__ == "__main__":
    main()
