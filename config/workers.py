"""gunicorn's worker for Veche (``gunicorn.conf.py``): gunicorn's threaded worker, serving the
requests it holds writes first (docs/deployment.md, "Writes first").

A site under load keeps a queue of requests. With gunicorn's sync workers that queue is the
listening socket's, first in first out, so a vote waited behind every page read queued before
it: ~85 ms (p50) at 20 writes a second with signed-in members reading as fast as two workers
could serve them, against ~10 ms for the vote itself. This worker takes connections off the
socket as they come, up to ``worker_connections`` (as gunicorn's ``gthread`` does), waits on
its poller until a request's first bytes are there, and hands the requests to its threads by
priority: every method but GET and HEAD before the reads, each kind in the order it came. A
write then waits for a request being served, not for the queue (~33 ms p50 in the same run).

Reads cannot starve: writes are a small share of any community's traffic (and rate-limited),
and each is served once. Kept-alive connections, where ``keepalive`` is on, come back through
the same poller, so every request is queued by what it is. Each thread runs from a frame with
room on the frame stack (config/stack.py), as the sync worker's loop did.
"""

import heapq
import itertools
import selectors
import socket
import threading
import time
from concurrent import futures
from functools import partial
from typing import Any

from gunicorn.workers.gthread import DEFAULT_WORKER_DATA_TIMEOUT, TConn, ThreadWorker

from config.stack import in_roomy_stack

WRITE, READ = 0, 1  # priorities: lower first
_READS = (b"GET ", b"HEAD")


def priority_of(first_bytes: bytes) -> int:
    """A request's priority from its first bytes: ``READ`` for GET and HEAD, ``WRITE`` for
    anything else (an incomplete or unknown start too: it may be a write)."""
    return READ if first_bytes[:4] in _READS else WRITE


class WritesFirstPool(futures.Executor):
    """A pool of threads that takes the waiting calls by priority, then in the order they
    came (a heap); ``submit`` queues at ``READ``."""

    def __init__(self, threads: int) -> None:
        self._waiting: list[tuple[int, int, futures.Future, Any, tuple]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._stopping = False
        self._threads = [
            threading.Thread(target=in_roomy_stack, args=(self._serve,), daemon=True)
            for _ in range(max(threads, 1))
        ]
        for thread in self._threads:
            thread.start()

    def submit_at(self, priority: int, fn: Any, /, *args: Any) -> futures.Future:
        future: futures.Future = futures.Future()
        with self._ready:
            if self._stopping:
                raise RuntimeError("cannot schedule new futures after shutdown")
            heapq.heappush(self._waiting, (priority, next(self._order), future, fn, args))
            self._ready.notify()
        return future

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> futures.Future:
        return self.submit_at(READ, partial(fn, **kwargs) if kwargs else fn, *args)

    def waiting(self) -> int:
        return len(self._waiting)

    def _serve(self) -> None:
        while True:
            with self._ready:
                while not self._waiting and not self._stopping:
                    self._ready.wait()
                if not self._waiting:
                    return
                _priority, _order, future, fn, args = heapq.heappop(self._waiting)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the future, as the stdlib's
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._ready:
            self._stopping = True
            if cancel_futures:
                for _priority, _order, future, _fn, _args in self._waiting:
                    future.cancel()
                self._waiting.clear()
            self._ready.notify_all()
        if wait:
            for thread in self._threads:
                thread.join()


class WritesFirstWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker with ``WritesFirstPool`` as its threads; a new connection
    waits on the poller for its first bytes (as a kept-alive one does) before it is queued."""

    tpool: WritesFirstPool

    def get_thread_pool(self) -> WritesFirstPool:
        return WritesFirstPool(self.cfg.threads)

    def accept(self, listener: socket.socket) -> None:
        try:
            client_sock, client_addr = listener.accept()
        except BlockingIOError:
            return  # another worker took it
        except ConnectionAbortedError:
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())  # non-blocking
        # As a connection handed back for want of data (ThreadWorker.finish_request): closed
        # if nothing comes in time (murder_pending).
        conn.timeout = time.monotonic() + max(self.cfg.keepalive, DEFAULT_WORKER_DATA_TIMEOUT)
        self.pending_conns.append(conn)
        self.poller.register(
            client_sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )

    def enqueue_req(self, conn: TConn) -> None:
        fs = self.tpool.submit_at(_priority(conn), self.handle, conn)
        fs.add_done_callback(lambda fut: self.method_queue.defer(self.finish_request, conn, fut))


def _priority(conn: TConn) -> int:
    """The priority of the request waiting on ``conn``: from the bytes its parser has already
    read (after a kept-alive request), else peeked from the socket (left there to be read).
    TLS connections (gunicorn serving HTTPS itself) and connections with nothing to read yet
    are ``READ``: their bytes cannot be peeked, and a write among them waits as before."""
    if conn.cfg.is_ssl:
        return READ
    unreader = getattr(conn.parser, "unreader", None)  # HTTP/1 parsers have one
    buffered = unreader.buf.getvalue() if unreader is not None else b""
    if buffered:
        return priority_of(buffered)
    try:
        first = conn.sock.recv(4, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except OSError:
        return READ
    return priority_of(first) if first else READ
