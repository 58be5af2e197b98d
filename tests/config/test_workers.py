"""gunicorn's writes-first worker (config/workers.py, gunicorn.conf.py)."""

import http.client
import socket
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import pytest
from gunicorn.app.wsgiapp import WSGIApplication

from config.workers import READ, WRITE, WritesFirstPool, _priority, priority_of
from tests.conftest import ROOT

from .test_run_demo import _free_port
from .test_stack import CALLS, _worst_page_faults


@pytest.mark.parametrize(
    ("first", "priority"),
    [
        (b"GET / HTTP/1.1", READ),
        (b"HEAD /questions/ HTTP/1.1", READ),
        (b"POST /vote/ HTTP/1.1", WRITE),
        (b"PUT /api/ HTTP/1.1", WRITE),
        (b"PATCH /api/ HTTP/1.1", WRITE),
        (b"DELETE /api/ HTTP/1.1", WRITE),
        (b"OPTIONS * HTTP/1.1", WRITE),
        (b"GE", WRITE),  # not all there yet: it may be anything
        (b"get / HTTP/1.1", WRITE),  # methods are case-sensitive: not a read
    ],
)
def test_reads_are_get_and_head_and_everything_else_goes_first(first, priority):
    assert priority_of(first) == priority


def test_the_pool_serves_writes_first_then_each_kind_in_the_order_it_came():
    pool = WritesFirstPool(1)
    busy, started = threading.Event(), threading.Event()
    served: list[str] = []

    def hold() -> None:
        started.set()
        busy.wait(5)

    first = pool.submit(hold)
    assert started.wait(5)
    futures = [
        pool.submit_at(priority, served.append, name)
        for priority, name in [
            (READ, "read 1"),
            (READ, "read 2"),
            (WRITE, "write 1"),
            (READ, "read 3"),
            (WRITE, "write 2"),
        ]
    ]
    assert pool.waiting() == 5
    busy.set()
    for future in [first, *futures]:
        future.result(5)
    assert served == ["write 1", "write 2", "read 1", "read 2", "read 3"]
    pool.shutdown()


def test_the_pool_hands_errors_to_the_caller_and_stops_cleanly():
    pool = WritesFirstPool(2)
    with pytest.raises(ZeroDivisionError):
        pool.submit(divmod, 1, 0).result(5)
    assert pool.submit(divmod, 7, 2).result(5) == (3, 1)
    pool.shutdown(wait=True)
    with pytest.raises(RuntimeError):
        pool.submit(divmod, 7, 2)


def test_the_pool_cancels_what_waits_when_asked_to():
    pool = WritesFirstPool(1)
    busy, started = threading.Event(), threading.Event()

    def hold() -> bool:
        started.set()
        return busy.wait(5)

    running = pool.submit(hold)
    assert started.wait(5)
    waiting = pool.submit(divmod, 7, 2)
    pool.shutdown(wait=False, cancel_futures=True)
    busy.set()
    assert running.result(5) is True
    assert waiting.cancelled()


def test_the_pools_threads_serve_in_the_roomy_stack():
    """Requests run on the pool's threads, not on the worker's loop (which
    ``post_worker_init`` puts in the roomy stack): each thread has room of its own."""
    pool = WritesFirstPool(1)
    assert pool.submit(_worst_page_faults).result(30) < CALLS // 10
    pool.shutdown()


def test_gunicorn_runs_the_writes_first_worker_one_request_per_connection(monkeypatch):
    monkeypatch.chdir(ROOT)
    loader = object.__new__(WSGIApplication)
    settings = loader.get_config_from_filename("gunicorn.conf.py")
    assert settings["worker_class"] == "config.workers.WritesFirstWorker"
    assert settings["keepalive"] == 0
    assert settings["threads"] >= 2
    assert 2 <= settings["worker_connections"] <= 16


def _request(port: int, method: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=b"x=1" if method == "POST" else None)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def one_thread_gunicorn(tmp_path):
    """A real gunicorn with the project's gunicorn.conf.py, one worker of one thread, serving
    tests/config/writes_first_app.py."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.config.writes_first_app:application",
                "--workers",
                "1",
                "--threads",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _request(port, "GET", "/order")[0] == 200
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(30)


def test_a_write_overtakes_the_reads_queued_before_it(one_thread_gunicorn):
    """While the worker's one thread serves a slow read, three reads and then a write arrive:
    the write is served next, then the reads in the order they came."""
    port = one_thread_gunicorn
    answers: list[tuple[int, bytes]] = []

    def send(method: str, path: str) -> threading.Thread:
        thread = threading.Thread(target=lambda: answers.append(_request(port, method, path)))
        thread.start()
        time.sleep(0.05)  # each one queued before the next is sent
        return thread

    sent = [send("GET", "/slow")]
    time.sleep(0.1)
    sent += [send("GET", path) for path in ("/a", "/b", "/c")]
    sent.append(send("POST", "/vote"))
    for thread in sent:
        thread.join(10)
    assert [status for status, _body in answers] == [200] * 5
    assert _request(port, "GET", "/order")[1].decode() == (
        "GET /slow,POST /vote,GET /a,GET /b,GET /c"
    )


def test_a_requests_priority_is_peeked_and_its_bytes_left_to_be_read():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        conn = SimpleNamespace(cfg=SimpleNamespace(is_ssl=False), parser=None, sock=ours)
        assert _priority(conn) == READ  # nothing sent yet
        theirs.sendall(b"POST /questions/1/vote/ HTTP/1.1\r\n")
        time.sleep(0.05)
        assert _priority(conn) == WRITE
        assert ours.recv(100).startswith(b"POST /questions/1/vote/")
        theirs.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(0.05)
        assert _priority(conn) == READ
        conn.cfg.is_ssl = True  # TLS bytes cannot be peeked: served as reads
        theirs.sendall(b"DELETE / HTTP/1.1\r\n")
        assert _priority(conn) == READ
