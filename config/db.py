"""Database helpers shared by the apps."""

from typing import TypeVar, cast

from django.db import connection, transaction
from django.db.models import Field, Model
from django.db.models.base import ModelState

_M = TypeVar("_M", bound=Model)


def model_copy(instance: _M, *, drop: tuple[str, ...] = ()) -> _M:
    """A copy of an instance shared between requests (``config.pagecache.LocalSnapshots``)
    that a request may annotate and relate without touching the shared one: its own
    attributes and related-object cache, without the attributes in ``drop``; the related
    objects themselves stay shared. About a quarter of what ``copy.copy`` costs (it pickles
    the state)."""
    clone = object.__new__(type(instance))
    clone.__dict__ = {k: v for k, v in instance.__dict__.items() if k not in drop}
    state = object.__new__(ModelState)
    state.__dict__ = dict(instance._state.__dict__)
    if "fields_cache" in state.__dict__:
        state.fields_cache = dict(state.fields_cache)
    clone._state = state
    return clone


def counter_increment(model: type[Model], pk: int, field: str) -> None:
    """Add one to a page-view style counter, in the database (no read, no lost updates).

    On PostgreSQL this transaction alone commits without waiting for the disk
    (``synchronous_commit = off``): a crash may lose the last fraction of a second of view
    counts and nothing else, and a popular page no longer costs a disk flush per view
    (2.8 ms against 0.6 ms per update on the benchmark machine). Outside a transaction it
    is sent as one string, one round trip instead of four (begin, set, update, commit)."""
    quote = connection.ops.quote_name
    # A counter and a primary key are concrete fields: they always have a column.
    column = quote(cast(str, cast(Field, model._meta.get_field(field)).column))
    pk_column = quote(cast(str, model._meta.pk.column))
    update = (
        f"UPDATE {quote(model._meta.db_table)} SET {column} = {column} + 1 "  # noqa: S608 - names from the model
        f"WHERE {pk_column} = %s"
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(update, [pk])
        elif connection.in_atomic_block or not connection.get_autocommit():
            with transaction.atomic():
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.execute(update, [pk])
        else:
            try:
                cursor.execute(
                    f"BEGIN; SET LOCAL synchronous_commit TO OFF; {update}; COMMIT", [pk]
                )
            except Exception:
                cursor.execute("ROLLBACK")
                raise
