"""Cursor pagination: the next page starts after the last row of this one, by the values of
the columns the list is ordered by (keyset pagination). Unlike page numbers, a row inserted
meanwhile never shifts a page, and a deep page costs what the first one does (an index
range scan, no OFFSET, no count).

The cursor is opaque to clients: the ordering columns' values of the last row, as JSON, in
URL-safe base64."""

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class BadCursor(ValueError):
    """The cursor was not made by this list (a 400)."""


def _field_path(model: type[Model], path: str) -> tuple[list[str], Any]:
    """The relations to walk and the last field of an ordering path like ``category__name``."""
    parts = path.split("__")
    for name in parts[:-1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return parts, model._meta.get_field(parts[-1])


def _value(row: Model, path: str) -> Any:
    parts, field = _field_path(type(row), path)
    obj: Any = row
    for name in parts[:-1]:
        obj = getattr(obj, name)
    # The stored value, not what a descriptor shows (translated fields show the reader's).
    value = field.value_from_object(obj)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _ordering(queryset: QuerySet[M]) -> list[str]:
    order = [str(o) for o in queryset.query.order_by or queryset.model._meta.ordering or ()]
    order = [{"pk": "id", "-pk": "-id"}.get(o, o) for o in order]
    if not order or order[-1].lstrip("-") != "id":
        raise ValueError("a paginated list must end its ordering with the id")
    return order


def encode(row: Model, ordering: list[str]) -> str:
    values = [_value(row, o.lstrip("-")) for o in ordering]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str, model: type[Model], ordering: list[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadCursor(_("This cursor is not valid.")) from exc
    if not isinstance(values, list) or len(values) != len(ordering):
        raise BadCursor(_("This cursor is not valid."))
    parsed = []
    for value, path in zip(values, ordering, strict=True):
        _parts, field = _field_path(model, path.lstrip("-"))
        # Lists, objects and integers no column holds would reach the database as an error.
        if value is None or isinstance(value, list | dict):
            raise BadCursor(_("This cursor is not valid."))
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise BadCursor(_("This cursor is not valid."))
        try:
            parsed.append(field.to_python(value))
        except ValidationError as exc:
            raise BadCursor(_("This cursor is not valid.")) from exc
    return parsed


def _after(ordering: list[str], values: list[Any]) -> Q:
    """Rows after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or …"""
    condition = Q(pk__in=[])
    equal = Q()
    for path, value in zip(ordering, values, strict=True):
        name = path.lstrip("-")
        lookup = "lt" if path.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


def cursor_page(
    queryset: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of an ordered queryset (its ordering ends with the id) and the cursor of the
    next page (None on the last one): one query, ``limit + 1`` rows."""
    ordering = _ordering(queryset)
    if cursor:
        queryset = queryset.filter(_after(ordering, _decode(cursor, queryset.model, ordering)))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode(rows[-1], ordering)
