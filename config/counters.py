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
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model

from .cache import ResilientRedisCache, _miss
from .db import counter_add_many, counter_increment

logger = logging.getLogger(__name__)

NAMES = "veche:counters"  # the set of counters that have something to flush
PREFIX = "veche:counter:"  # + "<app_label.model>:<field>": a hash of primary key → views


def _count(backend: ResilientRedisCache, name: str, pk: int) -> bool:
    pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
    pipe.hincrby(backend.make_key(PREFIX + name), str(int(pk)), 1)
    pipe.sadd(backend.make_key(NAMES), name)
    pipe.execute()
    return True


# Redis away or failed a moment ago: ``False``, as the cache's own reads miss (config.cache).
_counted = _miss(_count, lambda *args: False)


def counter_add(model: type[Model], pk: int, field: str) -> None:
    """One more on ``field`` of the row ``pk``: in Redis (one round trip), else in the database."""
    backend = caches["default"]
    name = f"{model._meta.label_lower}:{field}"
    if not (isinstance(backend, ResilientRedisCache) and _counted(backend, name, pk)):
        counter_increment(model, pk, field)


def flush() -> int:
    """Add what Redis holds to the database; the number of rows updated. A counter's hash is
    read and emptied in one transaction of Redis; if the database refuses the update, the
    counts go back to Redis for the next flush."""
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        return 0
    client: Any = backend._cache.get_client(write=True)
    updated = 0
    for raw in client.smembers(backend.make_key(NAMES)):
        name = raw.decode()
        key = backend.make_key(PREFIX + name)
        pipe = client.pipeline(transaction=True)
        pipe.hgetall(key)
        pipe.delete(key)
        counts = {int(pk): int(n) for pk, n in pipe.execute()[0].items()}
        label, field = name.rsplit(":", 1)
        try:
            model = apps.get_model(label)
            model._meta.get_field(field)
        except (LookupError, FieldDoesNotExist):  # a counter a later release removed
            logger.warning("Dropped the views counted for %s: no such counter", name)
            client.srem(backend.make_key(NAMES), name)
            continue
        try:
            updated += counter_add_many(model, field, counts)
        except Exception:
            undo = client.pipeline(transaction=False)
            for pk, n in counts.items():
                undo.hincrby(key, str(pk), n)
            undo.execute()
            raise
    return updated
