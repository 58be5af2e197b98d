"""Counters a read bumps (the views of a question or an FAQ entry), added up in Redis and written
to the database in one statement per counter every ``VECHE_COUNTER_FLUSH_SECONDS`` (``flush``,
run by beat as ``forum.counters_flush``; docs/jobs.md).

A visitor's view used to be an UPDATE of the post's row, on every read of a page the cache
served: a third of a visitor's cached question page (2.3 ms against 1.6 in-process) and a new
row version of a popular question per view for PostgreSQL to write and vacuum. Now it is one
Redis command. (A member's view of a question is written with their read marker, in the round
trip that marker needs anyway: forum.services.watching.question_visit_record.) Without Redis
(the local cache of development and tests) or with Redis away, a view is written to the
database at once, as before (``config.db.counter_increment``).

What Redis holds for a while is lost with it: at most one flush interval of views (counts shown
are approximate anyway; docs/deployment.md, "Losing a part")."""

import logging
import time
from typing import cast

from django.apps import apps
from django.core.cache import caches
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import Field, Model
from redis.exceptions import RedisError

from .cache import ResilientRedisCache
from .db import counter_increment

logger = logging.getLogger(__name__)

NAMES = "veche:counters"  # the set of counters that have something to flush
PREFIX = "veche:counter:"  # + "<app_label.model>:<field>": a hash of primary key → views
BATCH = 500  # rows per UPDATE


def _redis() -> tuple[ResilientRedisCache, object] | None:
    """The Redis cache and its client, unless the cache is not Redis or failed a moment ago."""
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache) or time.monotonic() < backend.away_until:
        return None
    return backend, backend._cache.get_client(write=True)


def counter_add(model: type[Model], pk: int, field: str) -> None:
    """One more on ``field`` of the row ``pk``: in Redis (one round trip), else in the database."""
    found = _redis()
    if found is not None:
        backend, client = found
        name = f"{model._meta.label_lower}:{field}"
        try:
            pipe = client.pipeline(transaction=False)  # type: ignore[attr-defined]
            pipe.hincrby(backend.make_key(PREFIX + name), str(int(pk)), 1)
            pipe.sadd(backend.make_key(NAMES), name)
            pipe.execute()
            return
        except RedisError:
            backend.away_until = time.monotonic() + backend.RETRY_AFTER
    counter_increment(model, pk, field)


def flush() -> int:
    """Add what Redis holds to the database; the number of rows updated. A counter's hash is
    read and emptied in one transaction of Redis; if the database refuses the update, the
    counts go back to Redis for the next flush."""
    found = _redis()
    if found is None:
        return 0
    backend, client = found
    updated = 0
    for raw in client.smembers(backend.make_key(NAMES)):  # type: ignore[attr-defined]
        name = raw.decode()
        key = backend.make_key(PREFIX + name)
        pipe = client.pipeline(transaction=True)  # type: ignore[attr-defined]
        pipe.hgetall(key)
        pipe.delete(key)
        counts = {int(pk): int(n) for pk, n in pipe.execute()[0].items()}
        label, field = name.rsplit(":", 1)
        try:
            model = apps.get_model(label)
            model._meta.get_field(field)
        except (LookupError, FieldDoesNotExist):  # a counter a later release removed
            logger.warning("Dropped the views counted for %s: no such counter", name)
            client.srem(backend.make_key(NAMES), name)  # type: ignore[attr-defined]
            continue
        try:
            updated += _add_to_rows(model, field, counts)
        except Exception:
            undo = client.pipeline(transaction=False)  # type: ignore[attr-defined]
            for pk, n in counts.items():
                undo.hincrby(key, str(pk), n)
            undo.execute()
            raise
    return updated


def _add_to_rows(model: type[Model], field: str, counts: dict[int, int]) -> int:
    """``field = field + n`` for each row, ``BATCH`` rows per statement (raw SQL: a counter is
    no change any cached page must show at once, so nothing is touched, as for one view)."""
    quote = connection.ops.quote_name
    column = quote(cast(str, cast(Field, model._meta.get_field(field)).column))
    pk_column = quote(cast(str, model._meta.pk.column))
    table = quote(model._meta.db_table)
    rows = sorted(counts.items())  # the same order in every flush: no deadlock between two
    updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cases = " ".join("WHEN %s THEN %s" for _ in batch)
            marks = ", ".join("%s" for _ in batch)
            cursor.execute(
                f"UPDATE {table} SET {column} = {column} + CASE {pk_column} {cases} END "  # noqa: S608 - names from the model
                f"WHERE {pk_column} IN ({marks})",
                [value for row in batch for value in row] + [pk for pk, _n in batch],
            )
            updated += cursor.rowcount
    return updated
