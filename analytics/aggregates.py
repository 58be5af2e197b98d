"""Database-side statistics that give the same figures on PostgreSQL and SQLite.

PostgreSQL has ``percentile_cont``; SQLite has no percentile aggregate, so there the value is
read with an ``ORDER BY … LIMIT 2 OFFSET k`` query around the percentile's position and
interpolated exactly as ``percentile_cont`` does (linear between the two nearest rows).
"""

import math
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Expression, FloatField, Func, QuerySet


class PercentileCont(Aggregate):
    """``percentile_cont(p) WITHIN GROUP (ORDER BY expr)`` — PostgreSQL only."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, percentile: float, **extra: Any):
        if not 0 <= float(percentile) <= 1:
            raise ValueError("percentile must be between 0 and 1")
        super().__init__(expression, percentile=repr(float(percentile)), **extra)


class EpochSeconds(Func):
    """A datetime as seconds since the epoch (float), so that differences of datetimes are
    plain numbers on every database."""

    output_field = FloatField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):  # SQLite and others
        sql, params = compiler.compile(self.source_expressions[0])
        return f"((julianday({sql}) - 2440587.5) * 86400.0)", params

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"EXTRACT(EPOCH FROM {sql})::double precision", params


def seconds_between(start: Any, end: Any) -> Expression:
    return EpochSeconds(end) - EpochSeconds(start)


def percentiles(
    queryset: QuerySet, wanted: dict[str, tuple], *, also: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``{"name": (expression, p[, filter Q])}`` → ``{"name": value or None}`` over
    ``queryset``'s rows (rows where the expression is NULL are left out, as
    ``percentile_cont`` does; the optional Q narrows the rows of that one entry). ``also``:
    ordinary aggregates over the same rows, computed in the same scan on PostgreSQL.

    One query on PostgreSQL; on SQLite a COUNT and one short ORDER BY/OFFSET query per entry.
    """
    if connection.vendor == "postgresql":
        return queryset.aggregate(
            **(also or {}),
            **{
                name: PercentileCont(spec[0], spec[1], filter=spec[2] if len(spec) > 2 else None)
                for name, spec in wanted.items()
            },
        )
    result = queryset.aggregate(**also) if also else {}
    for name, spec in wanted.items():
        expr, p = spec[0], spec[1]
        rows = queryset.filter(spec[2]) if len(spec) > 2 and spec[2] is not None else queryset
        rows = rows.annotate(_pv=expr).filter(_pv__isnull=False)
        n = rows.count()
        if not n:
            result[name] = None
            continue
        position = p * (n - 1)
        low = math.floor(position)
        values = list(rows.order_by("_pv").values_list("_pv", flat=True)[low : low + 2])
        value = float(values[0])
        if len(values) > 1 and position > low:
            value += (float(values[1]) - value) * (position - low)
        result[name] = value
    return result


def as_date(value: Any) -> date | None:
    """A day read from a raw query: ``date`` on PostgreSQL, ISO text on SQLite."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def trailing_window_lookback(start: date, days: int) -> date:
    """The earliest event day that counts in a window of ``days`` ending on ``start``."""
    return start - timedelta(days=days - 1)


def distinct_members_in_windows(
    sources: list[tuple[int, QuerySet]],
    unions: dict[str, tuple[int, ...]],
    windows: dict[str, tuple[int, ...]],
    *,
    start: date,
    end: date,
) -> dict[tuple[str, int], dict[date, int]]:
    """For every day ``d`` of ``start``..``end``, every ``name`` in ``unions`` and every window
    length ``w`` in ``windows[name]``: how many distinct members have an event of one of the
    kinds ``unions[name]`` on a day in ``d - w + 1``..``d``. Returns ``{(name, w): {d: n}}``.

    ``sources`` are ``(kind, queryset)`` pairs; each queryset gives the values ``m`` (member id)
    and ``d`` (the event's day), narrowed to ``trailing_window_lookback(start, longest w)``..
    ``end`` (the counts are exact for the events given, and no window ending in the range
    reaches further back). Duplicates are fine.

    One query for all days, however long the range: a member counts on the days ``d`` with an
    event in the window, i.e. in the union of ``[e, e + w - 1]`` over their events ``e``. Split
    at each event, that union is the disjoint ``[max(e, p + w), e + w - 1]`` with ``p`` the
    member's previous event, so the database only groups events by ``(e, p)`` (a window
    function finds ``p``), and the counts per day are running sums of where those intervals
    start and end.
    """
    kinds = sorted({kind for kind, _qs in sources})
    names = list(unions)
    parts: list[str] = []
    params: list[Any] = []
    for i, (kind, queryset) in enumerate(sources):
        sql, qs_params = queryset.order_by().query.sql_with_params()
        parts.append(f"SELECT m, d, {int(kind)} AS k FROM ({sql}) AS src{i}")  # noqa: S608
        params.extend(qs_params)
    flags = ", ".join(f"MAX(CASE WHEN k = {int(k)} THEN 1 ELSE 0 END) AS f{int(k)}" for k in kinds)

    def has(name: str) -> str:
        wanted = [k for k in unions[name] if k in kinds]
        return " OR ".join(f"f{int(k)} = 1" for k in wanted) or "1 = 0"

    previous = ", ".join(
        f"MAX(CASE WHEN {has(name)} THEN d END) OVER w AS p{i}" for i, name in enumerate(names)
    )
    selects = [
        f"SELECT {i}, d, p{i}, COUNT(*) FROM marked WHERE {has(name)} GROUP BY d, p{i}"  # noqa: S608
        for i, name in enumerate(names)
    ]
    sql = (
        f"WITH ev AS ({' UNION ALL '.join(parts)}), "  # noqa: S608
        f"md AS (SELECT m, d, {flags} FROM ev GROUP BY m, d), "
        f"marked AS (SELECT d, {', '.join(f'f{int(k)}' for k in kinds)}, {previous} FROM md "
        "WINDOW w AS (PARTITION BY m ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))"
        f" {' UNION ALL '.join(selects)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        grouped = cursor.fetchall()

    changes: dict[tuple[str, int], dict[date, int]] = {
        (name, w): {} for name in names for w in windows[name]
    }
    for i, day, prev, n in grouped:
        name, day, prev = names[i], as_date(day), as_date(prev)
        for w in windows[name]:
            begins = day if prev is None or (day - prev).days >= w else prev + timedelta(days=w)
            ends = day + timedelta(days=w)  # the first day no longer covered
            delta = changes[(name, w)]
            delta[begins] = delta.get(begins, 0) + n
            delta[ends] = delta.get(ends, 0) - n
    result = {}
    for key, delta in changes.items():
        running = sum(v for day, v in delta.items() if day < start)
        per_day = {}
        day = start
        while day <= end:
            running += delta.get(day, 0)
            per_day[day] = running
            day += timedelta(days=1)
        result[key] = per_day
    return result
