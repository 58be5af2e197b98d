"""Read replicas: safe web reads go to a replica, everything else to the primary.

The rules, and why they hold without anyone having to remember them, are in
docs/deployment.md ("Read replicas"). In short: only a GET, HEAD or OPTIONS request that is not
pinned (``veche_primary`` cookie, set for a few seconds after its writer wrote) reads from a
replica, and only from one that answered its health check in the last second with a small
replay lag. Writes, transactions on the primary, sessions, Celery tasks, commands and
migrations read from the primary, because outside ``ReplicaMiddleware`` there is no request to
route. Without ``DATABASE_REPLICAS`` the router and the middleware do nothing.
"""

import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from celery import Task
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
PIN_COOKIE = "veche_primary"
CHECK_EVERY = 1.0  # seconds a healthy replica is trusted without asking it again
RETRY_AFTER = 5.0  # seconds an unhealthy replica is left alone
TOUCHED = "veche:touched:"

# Replay lag in seconds, the usual way: none when everything received is replayed (while the
# WAL receiver streams: cut off, nothing new arrives and the positions prove nothing; its
# status is hidden from roles without pg_read_all_stats, then a running receiver counts;
# "received" restarts from a segment's start after a restart, hence <=), else the age of the
# last replayed transaction; NULL (unhealthy) when replay is paused behind. A primary given
# as a replica has no lag.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn()
        AND EXISTS (
            SELECT FROM pg_stat_wal_receiver WHERE coalesce(status, 'streaming') = 'streaming'
        ) THEN 0
    WHEN pg_is_wal_replay_paused() THEN NULL
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


@dataclass
class _Request:
    """What the current web request may read from."""

    may_use_replica: bool
    replica: str | None = None  # chosen at its first read, then kept for the whole request
    chosen: bool = False
    wrote: bool = False


_request: ContextVar[_Request | None] = ContextVar("veche_replica_request", default=None)
_on_primary: ContextVar[bool] = ContextVar("veche_on_primary", default=False)


def replicas() -> list[str]:
    return settings.DATABASE_REPLICAS


@contextmanager
def primary(when: bool = True) -> Iterator[None]:
    """Read from the primary inside this block (when ``when``): for the rare read of a web
    request that must be exact."""
    token = _on_primary.set(_on_primary.get() or when)
    try:
        yield
    finally:
        _on_primary.reset(token)


def _reads_replica() -> bool:
    state = _request.get()
    return (
        state is not None
        and state.may_use_replica
        and not state.wrote
        and not _on_primary.get()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


# --- health: per process, asked at most every CHECK_EVERY seconds ---------------------------

_next_check: dict[str, float] = {}  # alias -> when to ask again
_healthy: dict[str, bool] = {}


def _lag(alias: str) -> float | None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 0")
        else:
            cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else float(row[0])


def healthy(alias: str) -> bool:
    """Whether ``alias`` answers with a replay lag within ``DATABASE_REPLICA_MAX_LAG``; never
    raises (a replica that fails to answer is unhealthy)."""
    now = time.monotonic()
    if now < _next_check.get(alias, 0.0):
        return _healthy[alias]
    try:
        lag = _lag(alias)
        ok = lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG
        if not ok:
            logger.warning("Replica %s is behind (lag %s s); reading from the primary", alias, lag)
    except Exception:  # noqa: BLE001 - whatever fails, the primary answers instead
        logger.warning("Replica %s does not answer; reading from the primary", alias)
        _close(alias)
        ok = False
    _mark(alias, ok)
    return ok


def _mark(alias: str, ok: bool) -> None:
    _healthy[alias] = ok
    _next_check[alias] = time.monotonic() + (CHECK_EVERY if ok else RETRY_AFTER)


def _close(alias: str) -> None:
    try:
        connections[alias].close()
    except Exception:  # noqa: BLE001, S110 - a broken connection may fail to close; it is dropped
        pass


def _choose() -> str | None:
    candidates = replicas()[:]
    random.shuffle(candidates)  # spreads the requests; each request stays on its pick
    return next((alias for alias in candidates if healthy(alias)), None)


# --- the router -----------------------------------------------------------------------------


def _is_session(model: type[Model]) -> bool:
    return model._meta.label_lower == "sessions.session"


class ReplicaRouter:
    """Reads of a request allowed to use a replica go to one; every write, and every other
    read, to the primary, named explicitly: without a router's answer Django would follow an
    object's own database, and an object read from a replica would be saved there."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not replicas():
            return None
        if _is_session(model) or not _reads_replica():
            return DEFAULT_DB_ALIAS
        state = _request.get()
        assert state is not None  # _reads_replica() said so
        if not state.chosen:
            state.replica, state.chosen = _choose(), True
        return state.replica or DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        if not replicas():
            return None
        state = _request.get()
        if state is not None and not _is_session(model):  # sessions are read from the primary
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        same = {DEFAULT_DB_ALIAS, *replicas()}
        return True if {obj1._state.db, obj2._state.db} <= same else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db in replicas() else None


# --- read-your-writes ------------------------------------------------------------------------


def _pinned(request: HttpRequest) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def _failed(replica: str, response: HttpResponse) -> bool:
    """Whether the request failed because ``replica`` did (stopped since its last check):
    then it is unhealthy until its next check."""
    if response.status_code < 500 or not connections[replica].errors_occurred:
        return False
    logger.warning("Replica %s failed a request; answering it from the primary", replica)
    _mark(replica, False)
    _close(replica)
    return True


class ReplicaMiddleware:
    """Decides per request whether its reads may go to a replica; after a write, pins the
    writer's next requests to the primary for ``DATABASE_REPLICA_PIN_SECONDS``. A safe request
    that failed because its replica broke in the middle is answered again from the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        state = _Request(may_use_replica=safe and not _pinned(request))
        token = _request.set(state)
        try:
            response = self.get_response(request)
            if safe and state.replica and _failed(state.replica, response):
                state.may_use_replica = False
                response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote or not safe:
            seconds = settings.DATABASE_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(math.ceil(time.time() + seconds)),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class PrimaryTask(Task):
    """Celery's base task here: a task reads from the primary even when it runs inside a web
    request (eager mode), as counters, qualification and rollups need exact rows."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with primary():
            return super().__call__(*args, **kwargs)


# --- shared caches ---------------------------------------------------------------------------


def _touched_seconds() -> int:
    # The lag a replica may have when used: the bound, plus what it can gain between checks.
    return math.ceil(settings.DATABASE_REPLICA_MAX_LAG + CHECK_EVERY) + 1


def note_touched(scopes: Iterable[str]) -> None:
    """Called by ``touch`` before it makes the scopes' versions new: for as long as a replica
    may lag, values of these scopes are loaded from the primary (``may_be_stale``)."""
    if replicas():
        cache.set_many({TOUCHED + scope: 1 for scope in scopes}, _touched_seconds())


def may_be_stale(scopes: Iterable[str]) -> bool:
    """Whether this context reads from a replica that may not yet show a change of
    ``scopes``: a value loaded then would be stored under the change's new version and
    outlive it, so the cache loads it from the primary (``with primary(may_be_stale(…))``)."""
    if not (replicas() and _reads_replica()):
        return False
    keys = [TOUCHED + scope for scope in scopes]
    return bool(keys) and bool(cache.get_many(keys))
