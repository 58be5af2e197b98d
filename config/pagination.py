"""A paginator told its total (``config.cache.counted``, or a count the page makes anyway)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class KnownCountPaginator(Paginator):
    """A paginator told its total by the caller: the question lists' count kept in the cache
    (``config.cache.counted``), or the inbox's rows counted in a query the page runs anyway
    (its grouped queue summary). No extra ``COUNT(*)``."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
