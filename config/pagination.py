"""Pagination whose total count is cached.

``COUNT(*)`` over a large filtered table is the most expensive query of a list page (the
benchmark measured ~100 ms of a 140 ms question list at 100,000 questions). The count of a
given query is cached under a *generation* of its model: any save or delete of a row of that
model bumps the generation, so a new post or a moderation decision shows up in the totals at
once; the TTL bounds staleness from bulk ``update()`` calls, which send no signal.
"""

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models.signals import post_delete, post_save
from django.utils.functional import cached_property

COUNT_TTL = 60


def _generation_key(label: str) -> str:
    return f"veche:count-gen:{label}"


def count_generation(label: str) -> int:
    value = cache.get(_generation_key(label))
    if value is None:
        value = 1
        cache.add(_generation_key(label), value, None)
    return value


def count_generation_bump(label: str) -> None:
    try:
        cache.incr(_generation_key(label))
    except ValueError:
        cache.set(_generation_key(label), 2, None)


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list  # a QuerySet (has .query) or a plain sequence
        query = getattr(queryset, "query", None)
        if query is None:
            return super().count
        label = queryset.model._meta.label_lower
        sql, params = query.sql_with_params()
        digest = hashlib.blake2b(f"{sql}|{params!r}".encode(), digest_size=16).hexdigest()
        key = f"veche:count:{label}:{count_generation(label)}:{digest}"
        value = cache.get(key)
        if value is None:
            value = queryset.count()
            cache.set(key, value, COUNT_TTL)
        return value


class KnownCountPaginator(Paginator):
    """A paginator told its total by the caller, who counted the rows in a query the page runs
    anyway (the inbox's grouped queue summary): no extra ``COUNT(*)``, and no staleness."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _bump(sender, **kwargs) -> None:
    count_generation_bump(sender._meta.label_lower)


def track_counts_of(*models) -> None:
    """Call from ``AppConfig.ready`` for models whose lists use ``CachedCountPaginator``."""
    for model in models:
        post_save.connect(_bump, sender=model, dispatch_uid=f"count-gen-save-{model}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"count-gen-del-{model}")
