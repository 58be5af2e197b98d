"""Database-side statistics that give the same figures on PostgreSQL and SQLite.

PostgreSQL has ``percentile_cont``; SQLite has no percentile aggregate, so there the value is
read with an ``ORDER BY … LIMIT 2 OFFSET k`` query around the percentile's position and
interpolated exactly as ``percentile_cont`` does (linear between the two nearest rows).
"""

import math
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
