"""Delivering recorded work to the outside world at most once and on time (docs/jobs.md).

The pieces any outbox uses (the e-mail outbox in members/services_outbox.py today, a webhook
outbox tomorrow): the backoff of a row after a failed attempt, the bounded retries of the
write that records a delivery, and the *sent ledger*: a second store, through the cache, of
deliveries the database could not record, consulted before a row is delivered again.
"""

import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Pauses between tries of the write that records a delivery: about 6 s in all, enough for a
# database restart or fail-over to answer again, and well inside the claim lease.
RECORD_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2)


def retry_delay(attempts: int) -> timedelta:
    """How long a row waits after its ``attempts``-th failure: the first failure none (the
    next sweep tries again: most failures are a blip), then doubling from the base up to the
    cap, with "equal jitter" (half fixed, half random) so that rows failed together by one
    outage do not all come back in the same second."""
    if attempts <= 1:
        return timedelta(0)
    base = settings.VECHE_OUTBOX_RETRY_BASE_SECONDS
    ceiling = min(settings.VECHE_OUTBOX_RETRY_MAX_SECONDS, base * 2 ** (attempts - 2))
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
