"""Delivering recorded work to the outside world at most once and on time (docs/jobs.md).

The pieces any outbox uses (the e-mail outbox in members/services_outbox.py today, a webhook
outbox tomorrow): the backoff of a row after a failed attempt, the bounded retries of the
write that records a delivery, the *sent journal*: a file per process where each delivery is
noted the moment it is made, which a killed process cannot take back, and the *sent ledger*: a
second store, through the cache, of deliveries the database could not record. Both are
consulted before a row is delivered again.
"""

import fcntl
import logging
import os
import random
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Pauses between tries of the write that records a delivery: about 6 s in all, enough for a
# database restart or fail-over to answer again, and well inside the claim lease.
RECORD_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2)


def retry_delay(attempts: int, *, base: float | None = None, cap: float | None = None) -> timedelta:
    """How long a row waits after its ``attempts``-th failure: the first failure none (the
    next sweep tries again: most failures are a blip), then doubling from the base up to the
    cap, with "equal jitter" (half fixed, half random) so that rows failed together by one
    outage do not all come back in the same second. ``base`` and ``cap`` default to the
    e-mail outbox's settings (the webhook outbox passes its own)."""
    if attempts <= 1:
        return timedelta(0)
    if base is None:
        base = settings.VECHE_OUTBOX_RETRY_BASE_SECONDS
    if cap is None:
        cap = settings.VECHE_OUTBOX_RETRY_MAX_SECONDS
    ceiling = min(cap, base * 2 ** (attempts - 2))
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311


def persist(write: Callable[[], T], *, delays: tuple[float, ...] = RECORD_DELAYS) -> T:
    """Run ``write`` until the database answers, pausing ``delays`` between tries; the last
    failure is raised. A broken connection is dropped between tries so that the next one
    reconnects (outside a transaction only: inside one, the caller's transaction is lost)."""
    for pause in delays:
        try:
            return write()
        except DatabaseError as exc:
            logger.warning("Recording a delivery failed (%s); trying again in %ss", exc, pause)
            if not connection.in_atomic_block:
                connection.close()
            time.sleep(pause)
    return write()


class Ledger:
    """Deliveries made but not yet recorded in the database, under stable keys (an e-mail's
    Message-ID). Kept in the cache (Redis in production, a store apart from the database)
    and, for this process, in memory too, so that the worker that sent knows even when
    Redis is away as well."""

    def __init__(self, name: str) -> None:
        self.prefix = f"veche:sent:{name}:"
        self.unrecorded: dict[int, str] = {}  # row id → key, this process's sends

    def add(self, pk: int, key: str) -> bool:
        """Note a delivery of row ``pk``; False when the cache did not take it."""
        self.unrecorded[pk] = key
        timeout = settings.VECHE_OUTBOX_LEDGER_DAYS * 86400
        stored = cache.add(self.prefix + key, pk, timeout) or cache.get(self.prefix + key) == pk
        if not stored:
            logger.error("Delivery %s is recorded neither in the database nor in the cache", key)
        return bool(stored)

    def has(self, pk: int, key: str) -> bool | None:
        """Was row ``pk`` delivered already? None when nobody can tell (the cache is away)."""
        if pk in self.unrecorded:
            return True
        found = cache.get(self.prefix + key)
        if found is not None:
            return True
        # config.cache.ResilientRedisCache answers a miss when Redis is away, and says so here.
        if time.monotonic() < getattr(cache, "away_until", 0.0):
            return None
        return False

    def forget(self, pk: int, key: str) -> None:
        """Row ``pk`` is recorded in the database now."""
        self.unrecorded.pop(pk, None)
        cache.delete(self.prefix + key)


class Journal:
    """Deliveries this process made, a line each (``<row id> <key>``), appended to a file of its
    own right after the far side took them and before anything else runs. It is one write(2):
    once it returned, a kill -9 cannot undo it (the kernel holds the page; only a machine crash
    before the page reaches the disk can), so the moment in which a crash makes a delivery
    happen twice shrinks from a database round trip to a few microseconds.

    The file is locked (flock) for as long as its process lives. A journal whose lock can be
    taken belongs to a dead process: whoever delivers next on this host records its rows and
    removes it (``orphans``). A process empties its own journal once all it holds is recorded
    in the database (``clear``), so a journal holds at most one batch."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fd: int | None = None
        self.path: Path | None = None
        self.pid = 0
        self.written = 0

    @staticmethod
    def directory() -> Path:
        return Path(settings.VECHE_OUTBOX_JOURNAL_DIR)

    def add(self, pk: int, key: str) -> None:
        """Note a delivery of row ``pk``. A journal that cannot be written is logged, not
        raised: the delivery is made, and the database record comes next."""
        line = f"{pk} {key}\n".encode()
        try:
            os.write(self._own(), line)
        except OSError as exc:
            logger.error("Delivery %s could not be noted in the journal: %s", key, exc)
            return
        self.written += len(line)

    def open(self) -> None:
        """Make this process's journal before its first delivery, so that making it (a few
        file system calls) is not part of the moment between a delivery and its note."""
        try:
            self._own()
        except OSError as exc:
            logger.error("The %s journal could not be made: %s", self.name, exc)

    def clear(self) -> None:
        """Everything noted so far is recorded in the database: start the journal afresh."""
        if self.written and self.fd is not None and self.pid == os.getpid():
            os.ftruncate(self.fd, 0)
            self.written = 0

    def has(self, key: str) -> bool:
        """Did any process on this host note ``key``, living or dead?"""
        needle = f" {key}\n".encode()
        for path in self.directory().glob(f"{self.name}-*.journal"):
            try:
                if needle in path.read_bytes():
                    return True
            except FileNotFoundError:
                continue
        return False

    def orphans(self) -> Iterator[list[int]]:
        """The row ids of each dead process's journal. Each journal is removed when the caller
        asks for the next one, i.e. after it recorded these rows; if the caller stops with an
        error, the journal stays for the next try."""
        for path in sorted(self.directory().glob(f"{self.name}-*.journal")):
            if path == self.path and self.pid == os.getpid():
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # its process lives
                text = path.read_text(errors="replace")
                yield [
                    int(line.split(" ", 1)[0]) for line in text.splitlines() if line[:1].isdigit()
                ]
                path.unlink(missing_ok=True)
            finally:
                os.close(fd)

    def _own(self) -> int:
        directory = self.directory()
        # First use, a forked child, or (tests) another directory.
        if (
            self.fd is None
            or self.path is None
            or self.path.parent != directory
            or self.pid != os.getpid()
        ):
            directory.mkdir(parents=True, exist_ok=True)
            stem = f"{self.name}-{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
            # Locked under a name no reader looks for, then renamed: a reader never finds
            # the journal of a living process unlocked.
            temporary = directory / f".{stem}.tmp"
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.path = directory / f"{stem}.journal"
            os.rename(temporary, self.path)
            self.fd, self.pid, self.written = fd, os.getpid(), 0
        return self.fd
