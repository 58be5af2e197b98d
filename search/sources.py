"""The registry of search sources, and the hits they give.

A source is a function ``(text, *, viewer, limit, match_any) -> list[SearchHit]`` registered
with ``register_source(key, label=, search=)`` by the app that owns the rows (forum and ideas
in their ``receivers.py``). A source may also register ``rank=``, the same search returning
``Ranked`` rows (rank first, the hit built on demand), so that the search page builds links
and excerpts only for the hits of the page it shows, and ``rebuild=``, which recomputes the
stored vectors of all its rows (``manage.py rebuild_search_vectors`` calls every one).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import SafeString

from members.models import Member

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Viewer: TypeAlias = Member | AnonymousUser | None


@dataclass
class SearchHit:
    kind: str
    kind_label: "StrOrPromise"  # lazily translated
    title: str
    url: str
    excerpt: SafeString
    rank: float
    created_at: Any = None
    solved: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # The cache scope of what the hit shows (``question:<id>``, ``idea:<id>``: config.cache):
    # a change there (a post hidden, edited) makes a stored search page stale at once.
    scope: str = ""

    def hit(self) -> "SearchHit":
        return self


@dataclass(slots=True)
class Ranked:
    """A hit known by its rank; ``hit()`` builds the ``SearchHit`` (link, excerpt) from the
    row the source fetched, so only the hits a page shows pay for that."""

    kind: str
    rank: float
    row: tuple[Any, ...]
    build: Callable[[tuple[Any, ...]], SearchHit]

    def hit(self) -> SearchHit:
        return self.build(self.row)


# What ranking gives: rows whose hit is built on demand, or hits already built.
Hit: TypeAlias = Ranked | SearchHit


class SearchFunction(Protocol):
    def __call__(
        self, text: str, *, viewer: Viewer, limit: int, match_any: bool
    ) -> list[SearchHit]: ...


class RankFunction(Protocol):
    def __call__(
        self, text: str, *, viewer: Viewer, limit: int, match_any: bool, excerpts: int | None
    ) -> Sequence[Hit]: ...


@dataclass
class Source:
    key: str
    label: "StrOrPromise"
    search: SearchFunction
    rank: RankFunction | None = None
    rebuild: Callable[[], None] | None = None
    as_visitors: Callable[[Viewer], bool] | None = None


SOURCES: dict[str, Source] = {}


def register_source(
    key: str,
    *,
    label: "StrOrPromise",
    search: SearchFunction,
    rank: RankFunction | None = None,
    rebuild: Callable[[], None] | None = None,
    as_visitors: Callable[[Viewer], bool] | None = None,
) -> None:
    """``rank`` (optional) takes ``search``'s arguments and ``excerpts``, and returns
    ``Ranked`` rows or hits in the same order as ``search``; only the first ``excerpts``
    of them need an excerpt (None: all). ``rebuild`` (optional) refreshes the stored search
    vector of every row of the source (PostgreSQL; a no-op on SQLite). ``as_visitors``
    (optional, cheap: no query) says whether a member finds exactly what a visitor finds in
    the source (no moderator, no private categories): members for whom every searched source
    says so share the visitors' hits (search.views). Without it a member's search always runs
    their own."""
    SOURCES[key] = Source(key, label, search, rank, rebuild, as_visitors)


def finished(rank: RankFunction) -> SearchFunction:
    """A source's ``search`` from its ``rank``: every hit built, with its excerpt."""

    def search(
        text: str, *, viewer: Viewer, limit: int = 50, match_any: bool = False
    ) -> list[SearchHit]:
        return [
            row.hit()
            for row in rank(text, viewer=viewer, limit=limit, match_any=match_any, excerpts=None)
        ]

    return search
