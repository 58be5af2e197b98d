"""Searching every registered source: the best hits merged by rank, and the search page."""

from typing import cast

from django.core.paginator import Page, Paginator

from .sources import SOURCES, Hit, SearchHit, Viewer
from .terms import terms_of


def ranked(
    text: str,
    *,
    viewer: Viewer,
    kinds: list[str] | None = None,
    limit: int = 50,
    match_any: bool = False,
    excerpts: int | None = None,
) -> list[Hit]:
    """The best ``limit`` hits of every (selected) source, merged by rank, as ``Ranked`` rows
    or ``SearchHit`` objects (both have ``kind``, ``rank`` and ``hit()``). Hits beyond the first
    ``excerpts`` of their source may lack an excerpt."""
    if not terms_of(text):
        return []
    rows: list[Hit] = []
    for key, source in SOURCES.items():
        if kinds and key not in kinds:
            continue
        if source.rank is not None:
            rows.extend(
                source.rank(
                    text, viewer=viewer, limit=limit, match_any=match_any, excerpts=excerpts
                )
            )
        else:
            rows.extend(source.search(text, viewer=viewer, limit=limit, match_any=match_any))
    rows.sort(key=lambda h: (-h.rank, h.kind))
    return rows[:limit]


def search(
    text: str,
    *,
    viewer: Viewer,
    kinds: list[str] | None = None,
    limit: int = 50,
    match_any: bool = False,
) -> list[SearchHit]:
    """Hits from every (selected) source, best first. ``match_any`` finds rows with any of
    the words (for suggestions) instead of all of them."""
    return [
        row.hit()
        for row in ranked(text, viewer=viewer, kinds=kinds, limit=limit, match_any=match_any)
    ]


def search_page(
    text: str,
    *,
    viewer: Viewer,
    kinds: list[str] | None = None,
    page: str | int | None = None,
    per_page: int = 20,
    max_hits: int = 200,
) -> "Page[SearchHit]":
    """The ``Paginator`` page ``page`` (as given in the URL) of the hits: only as many hits
    are ranked as the pages up to the next one need (at most ``max_hits``), and only the
    shown ones are built, with excerpts."""
    try:
        number = int(page) if page is not None else 1
    except (TypeError, ValueError):
        number = 1  # the paginator shows the first page
    limit = min(max_hits, per_page * (max(1, number) + 1))
    # A source's n-th hit is at least n-th in the merged list, so the shown page can only
    # hold each source's first ``per_page * number``; a number below 1 shows the last page.
    excerpts = min(limit, per_page * number) if number >= 1 else limit
    rows = ranked(text, viewer=viewer, kinds=kinds, limit=limit, excerpts=excerpts)
    page_obj = Paginator(rows, per_page).get_page(page)
    page_obj.object_list = [row.hit() for row in page_obj.object_list]
    return cast("Page[SearchHit]", page_obj)  # its rows are now the built hits
