"""Pagination whose total count is cached.

``COUNT(*)`` over a large filtered table is the most expensive query of a list page (the
benchmark measured ~100 ms of a 140 ms question list at 100,000 questions). The count of a
given query is kept under the scopes the caller names (``config.cache.remember``): a new
post or a moderation decision touches them and shows in the totals at once.
"""

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .cache import remember

COUNT_TTL = 600


class CachedCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, scopes: Iterable[str], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.scopes = tuple(scopes)

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list  # a QuerySet (has .query) or a plain sequence
        query = getattr(queryset, "query", None)
        if query is None:
            return super().count
        sql, params = query.sql_with_params()
        digest = hashlib.blake2b(f"{sql}|{params!r}".encode(), digest_size=16).hexdigest()
        return remember(f"veche:count:{digest}", self.scopes, queryset.count, COUNT_TTL)


class KnownCountPaginator(Paginator):
    """A paginator told its total by the caller, who counted the rows in a query the page runs
    anyway (the inbox's grouped queue summary): no extra ``COUNT(*)``, and no staleness."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
