"""Database helpers shared by the apps."""

import contextlib
import copy
import copyreg
import hashlib
from collections.abc import Callable, Collection, Iterator
from typing import Any, Generic, Self, TypeVar, cast

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import Field, Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.lookups import In
from django.db.models.query import ModelIterable
from django.db.models.signals import post_init, pre_init

_M = TypeVar("_M", bound=Model)


Statement = tuple[str, list]


class QuickLoad:
    """A model whose rows become instances without ``Model.__init__``: the loaded columns go
    straight into the instance's ``__dict__``, as ``__init__`` leaves them (a column not loaded,
    ``only()``/``defer()``, is absent and loads on first use, as Django's deferred fields do).
    ``__init__`` walks every field of the model per row, with its signals: a question page
    builds ~120 instances, and this cut its load by about a tenth. Django's own way still runs
    when a ``pre_init``/``post_init`` receiver is connected (none is today) or Django passes
    more than the row (a later release's fetch mode). First among the
    model's bases: ``class Answer(QuickLoad, ModeratedContent)``."""

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kw: Any
    ) -> Self:
        if kw or pre_init.receivers or post_init.receivers:  # Django's way then
            return super().from_db(db, field_names, values, **kw)  # type: ignore[misc]
        new: Any = cls.__new__(cls)
        new.__dict__.update(zip(field_names, values, strict=True))
        state = new._state = ModelState()
        state.adding, state.db = False, db
        return new

    def __reduce__(self) -> tuple:
        """Pickled with its class itself (stored once per pickle), not Django's (app label,
        model name) looked up in the app registry again for every instance unpickled: a
        question page's data from the cache is ~110 instances (0.54 → 0.40 ms a load). Made
        by the standard library's ``__newobj__`` (pickle's NEWOBJ), so that a process of an
        earlier release reads it too (a rolling deploy shares the cache)."""
        reduced: Any = super().__reduce__()  # Django's: (model_unpickle, (class id,), state)
        return copyreg.__newobj__, (type(self),), reduced[2]  # type: ignore[attr-defined]


# The values a read is compiled with the first time: positive and within a 32-bit column's
# range (Django refuses an out-of-range value while compiling), unlike any real id.
_MARK = 2_000_000_011
_INT64 = (-(2**63), 2**63 - 1)


# A compiled read's SQL as kept: the compiler, the SQL, its parameters with the markers, and
# where each value goes (parameter position, value index), and how many values it takes.
_Ready = tuple[Any, str, tuple, list[tuple[int, int]], int]


def padded_ids(ids: list[int], size: int) -> list[int]:
    """``ids`` and as many ids no row has (negative, distinct: the SQL stays the same) as make
    ``size``: the values of a compiled read of a fixed number of ids given fewer."""
    return [*ids, *range(-1, len(ids) - size - 1, -1)]


class CompiledRead(Generic[_M]):
    """A read whose SQL Django compiles once per process and database, not at every run.

    ``build(*values)`` returns the queryset for ``values`` (ints: the ids the read is for). It
    must depend on nothing else: no viewer, language, time or setting, since its SQL is kept.
    Calling the read gives the rows as ``list(build(*values))`` would (models, with what
    ``select_related`` and ``annotate`` add; no ``prefetch_related``). Building and compiling
    costs about as much as running: 0.6 ms of a question page's answers, which run in 0.6 ms.

    The first call builds the queryset with marker values, compiles it, and notes where each
    value lands among the SQL's parameters; later calls put theirs there. While ``checking``
    (the test suite turns it on), every call also builds and compiles afresh and fails if the
    SQL or its parameters differ: a read that depends on more than its values fails there."""

    checking = False

    def __init__(self, model: type[_M], build: Callable[..., QuerySet[_M]]) -> None:
        self.model, self._build = model, build
        self._ready: dict[str, _Ready] = {}

    def _compile(self, db: str, count: int) -> _Ready:
        marks = [_MARK + n for n in range(count)]
        queryset: Any = self._build(*marks)
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise TypeError("a compiled read gives models, without prefetch_related")
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        slots = [  # a value may come back typed (psycopg's Int8 for a big integer column)
            (position, marks.index(param))
            for position, param in enumerate(params)
            if isinstance(param, int) and not isinstance(param, bool) and param in marks
        ]
        if {n for _position, n in slots} != set(range(count)) or any(
            str(mark) in sql for mark in marks
        ):
            raise TypeError("each value of a compiled read must be a parameter of its SQL")
        return compiler, sql, tuple(params), slots, count

    def __call__(self, *values: int) -> list[_M]:
        if any(not _INT64[0] <= value <= _INT64[1] for value in values):
            return []  # no integer column holds it (Django's compiler says so without SQL)
        db = router.db_for_read(self.model) or DEFAULT_DB_ALIAS
        ready = self._ready.get(db)
        if ready is None:
            ready = self._ready[db] = self._compile(db, len(values))
        compiler, sql, template, slots, count = ready
        if len(values) != count:
            raise TypeError(f"a compiled read takes {count} values, given {len(values)}")
        params = list(template)
        for position, n in slots:
            params[position] = type(template[position])(values[n])
        ruled_out = self.checking and self._check(db, values, sql, params)
        run = copy.copy(compiler)  # the query's columns, joins and converters, as compiled
        run.connection = connections[db]  # this thread's connection
        run.as_sql = lambda *args, **kwargs: (sql, params)
        rows: list[_M] = list(ModelIterable(cast(QuerySet, _Compiled(self.model, db, run))))
        if ruled_out and rows:
            raise AssertionError("compiled read found rows Django's compiler rules out")
        return rows

    def _check(self, db: str, values: tuple[int, ...], sql: str, params: list) -> bool:
        """Fails unless compiling afresh gives ``sql`` and ``params``; ``True`` when Django's
        compiler finds the read can have no rows (a value out of its column's range)."""
        try:
            fresh = self._build(*values).query.get_compiler(using=db).as_sql()
        except EmptyResultSet:
            return True
        if (fresh[0], tuple(fresh[1])) != (sql, tuple(params)):
            raise AssertionError(f"compiled read out of date: {fresh} != {(sql, params)}")
        return False


class InSubquery(In):
    """``InSubquery(F("column"), queryset.values("pk"))``: the column is one of what the
    subquery selects, whose SQL is the same however many rows it finds (a list of ids compiles
    to as many parameters). On PostgreSQL ``= ANY(ARRAY(subquery))``: the subquery runs once
    first, and a condition ``OR``-ed with others still uses the column's index (a plain
    ``IN (subquery)`` there scanned a question page's 300,000 comments: 45 ms against 0.6)."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


class _Compiled:
    """What ``ModelIterable`` reads of a queryset, for a compiled read."""

    _known_related_objects: dict = {}

    def __init__(self, model: type[Model], db: str, compiler: Any) -> None:
        self.model, self.db, self.query = model, db, self
        self._compiler = compiler

    def get_compiler(self, *args: Any, **kwargs: Any) -> Any:
        return self._compiler


def query_digest(queryset: QuerySet) -> str:
    """A short name for the query's SQL and parameters (the cache keys of what it returns)."""
    sql, params = queryset.query.sql_with_params()
    return hashlib.blake2b(f"{sql}|{params!r}".encode(), digest_size=16).hexdigest()


class _Text:
    def __init__(self, sql: str) -> None:
        self.query = sql.encode()


_ServerBinding: Any = ServerBindingCursor  # not a psycopg cursor to django-stubs


class PreparingCursor(_ServerBinding):
    """Django's cursor that binds on the server (so PostgreSQL can prepare), keeping a
    prepared statement's text for Django's query log: psycopg forgets it once prepared, and
    the log (``django_assert_max_num_queries``, the debug log) would show ``None``."""

    _query: Any

    def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
        result = super().execute(query, params, **options)
        if self._query is None:
            self._query = _Text(str(query))
        return result


@contextlib.contextmanager
def _preparing(db: Any) -> Iterator[None]:
    """Inside the block, ``db``'s new cursors bind on the server and prepare what they run
    (only with ``DATABASE_PREPARED_STATEMENTS`` and on PostgreSQL); the connection is given
    back as it was, also when the block raises."""
    if db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        yield
        return
    db.ensure_connection()
    raw = db.connection
    before = raw.cursor_factory, raw.prepare_threshold
    # Django's default threshold (None) turns preparing off for the connection.
    raw.cursor_factory, raw.prepare_threshold = PreparingCursor, 0
    try:
        yield
    finally:
        raw.cursor_factory, raw.prepare_threshold = before


@contextlib.contextmanager
def planned_once() -> Iterator[Any]:
    """A cursor of the default database whose statements PostgreSQL plans once per connection
    (a prepared statement), for a query run on most pages whose planning costs more than its
    execution: the question page's viewer state is planned in ~0.6 ms and runs in ~0.15 ms.
    Django's own cursors bind parameters on the client, which PostgreSQL cannot prepare.
    Only with ``DATABASE_PREPARED_STATEMENTS`` (config/settings.py) and on PostgreSQL."""
    with _preparing(connection), connection.cursor() as cursor:  # counted, logged as any
        yield cursor


@contextlib.contextmanager
def prepared(model: type[Model]) -> Iterator[None]:
    """Inside the block the ORM's queries on the database ``model`` is read from are prepared
    statements (``planned_once``'s way), for the reads of most uncached pages whose planning
    costs about as much as their run: a question page's question, tags, answers, comments and
    experts (20.8 → 19.0 ms for a visitor's page of 35 answers with the caches off), and a
    list's rows and their tags (in-process, one thread: rows 1.8–2.2 → 1.4–1.6 ms, tags 0.28–0.42
    → 0.24 ms). PostgreSQL plans the first five runs of a statement for their values and keeps
    a generic plan only if it is no worse."""
    with _preparing(connections[router.db_for_read(model) or DEFAULT_DB_ALIAS]):
        yield


def counter_increment(model: type[Model], pk: int, field: str) -> None:
    """Add one to a page-view style counter, in the database (no read, no lost updates),
    without waiting for the disk (``write_unflushed``)."""
    write_unflushed([counter_update(model, pk, field)])


def _counter_names(model: type[Model], field: str) -> tuple[str, str, str]:
    """The quoted table, counter column and primary key column of a counter."""
    quote = connection.ops.quote_name
    # A counter and a primary key are concrete fields: they always have a column.
    column = quote(cast(str, cast(Field, model._meta.get_field(field)).column))
    return quote(model._meta.db_table), column, quote(cast(str, model._meta.pk.column))


def counter_update(model: type[Model], pk: int, field: str) -> Statement:
    """The UPDATE of ``counter_increment``, to be sent with other statements."""
    table, column, pk_column = _counter_names(model, field)
    update = f"UPDATE {table} SET {column} = {column} + 1 WHERE {pk_column} = %s"  # noqa: S608 - names from the model
    return update, [pk]


COUNTER_BATCH = 500  # rows per UPDATE of ``counter_add_many``


def counter_add_many(model: type[Model], field: str, counts: dict[int, int]) -> int:
    """``field = field + n`` for each row ``pk: n`` of ``counts``, ``COUNTER_BATCH`` rows per
    statement, in one transaction; the number of rows updated. Raw SQL, as for one view: a
    counter is no change a cached page must show at once, so no scope is touched."""
    table, column, pk_column = _counter_names(model, field)
    rows = sorted(counts.items())  # the same order in every call: no deadlock between two
    updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), COUNTER_BATCH):
            batch = rows[start : start + COUNTER_BATCH]
            cases = " ".join("WHEN %s THEN %s" for _ in batch)
            marks = ", ".join("%s" for _ in batch)
            cursor.execute(
                f"UPDATE {table} SET {column} = {column} + CASE {pk_column} {cases} END "  # noqa: S608 - names from the model
                f"WHERE {pk_column} IN ({marks})",
                [value for row in batch for value in row] + [pk for pk, _n in batch],
            )
            updated += cursor.rowcount
    return updated


def write_unflushed(statements: list[Statement]) -> None:
    """Run ``statements`` (bookkeeping of reads: view counts, read markers) as one transaction.

    On PostgreSQL it commits without waiting for the disk (``synchronous_commit = off``): a
    crash may lose the last fraction of a second of such writes and nothing else, and a
    popular page no longer costs a disk flush per view (2.8 ms against 0.6 ms per update on
    the benchmark machine). Outside a transaction it is sent as one string, one round trip
    instead of one per statement plus begin, set and commit."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            with transaction.atomic(savepoint=False):
                for sql, params in statements:
                    cursor.execute(sql, params)
        elif connection.in_atomic_block or not connection.get_autocommit():
            with transaction.atomic():
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                for sql, params in statements:
                    cursor.execute(sql, params)
        else:
            joined = "; ".join(sql for sql, _params in statements)
            try:
                cursor.execute(
                    f"BEGIN; SET LOCAL synchronous_commit TO OFF; {joined}; COMMIT",
                    [param for _sql, params in statements for param in params],
                )
            except Exception:
                cursor.execute("ROLLBACK")
                raise
