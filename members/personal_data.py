"""The registry of personal data: what each app holds about a member, how to export it and
how to erase it ("export my data", "delete my account": members/services_privacy.py).

Members is the lowest app and cannot read the apps above it, so each app registers its own
rows once, in its ``receivers.connect()``::

    personal_data.register("forum.questions", _("Questions"), export=..., erase=...)

``export(member)`` returns JSON-ready rows (dicts); ``erase(member, remove_posts)`` erases
the personal data in the app's own tables, inside the caller's transaction. The member row
itself stays as an anonymous placeholder, so rows that point at it (votes, referrals,
analytics) may stay: an eraser deletes or blanks what is personal (texts the member wrote
that are not public posts, addresses, hashes of addresses) and, when ``remove_posts`` is set,
removes the member's public posts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Row = dict[str, Any]


@dataclass(frozen=True)
class PersonalDataSource:
    key: str
    title: str | Promise
    export: Callable[[Any], list[Row]]
    erase: Callable[[Any, bool], None]


SOURCES: dict[str, PersonalDataSource] = {}


def register(
    key: str,
    title: str | Promise,
    *,
    export: Callable[[Any], list[Row]],
    erase: Callable[[Any, bool], None] | None = None,
) -> None:
    """Register (or replace, so that a second ``connect()`` is harmless) one kind of rows."""
    SOURCES[key] = PersonalDataSource(
        key=key, title=title, export=export, erase=erase or (lambda member, remove: None)
    )


def rows(queryset: Any, *fields: str) -> list[Row]:
    """The ``fields`` of every row of ``queryset``, dates as ISO text (for exporters)."""
    found = []
    for values in queryset.values(*fields):
        found.append(
            {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}
        )
    return found
