"""Site search: a small registry of sources (questions, answers, FAQ; other apps add theirs).

A source is a function ``(text, *, viewer, limit, match_any) -> list[SearchHit]`` registered
with ``register_source(key, label=, search=)``. ``search()`` asks each selected source and
merges the hits by rank. A source may also register ``rank=``, the same search returning
``Ranked`` rows (rank first, the hit built on demand), so that the search page builds links
and excerpts only for the hits of the page it shows (``search_page``).

On PostgreSQL each row keeps a ``search_vector`` (title weight A, body weight B, built with
both the ``russian`` and the ``english`` configuration so either language's word forms match),
kept up to date by the services with ``vector_update`` and GIN-indexed; ranking is ``ts_rank``
(solved questions count double) and excerpts come from ``ts_headline``. On SQLite the fallback
matches word stems with ``icontains``, ranks by where the terms occur and highlights in
Python after escaping.
"""

import html as html_lib
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.paginator import Page, Paginator
from django.db import connection, connections
from django.db.models import Case, F, FloatField, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.markdown import plain_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONFIGS = ("russian", "english")
# Highlight markers that cannot occur in user text; swapped for <mark> after escaping.
_START, _STOP = "\ue000", "\ue001"
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


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
    extra: dict = field(default_factory=dict)

    def hit(self) -> "SearchHit":
        return self


@dataclass(slots=True)
class Ranked:
    """A hit known by its rank; ``hit()`` builds the ``SearchHit`` (link, excerpt) from the
    row the source fetched, so only the hits a page shows pay for that."""

    kind: str
    rank: float
    row: tuple
    build: Callable[[tuple], SearchHit]

    def hit(self) -> SearchHit:
        return self.build(self.row)


@dataclass
class Source:
    key: str
    label: Any
    search: Callable[..., list[SearchHit]]
    rank: Callable[..., list] | None = None


SOURCES: dict[str, Source] = {}


def register_source(
    key: str,
    *,
    label,
    search: Callable[..., list[SearchHit]],
    rank: Callable[..., list] | None = None,
) -> None:
    """``rank`` (optional) takes ``search``'s arguments and ``excerpts``, and returns
    ``Ranked`` rows or hits in the same order as ``search``; only the first ``excerpts``
    of them need an excerpt (None: all)."""
    SOURCES[key] = Source(key, label, search, rank)


STOP_WORDS = set(
    "the and for with from that this what when where which how why who can could would should "
    "does did not are was were has have had you your our there their them then than into "
    "about any all some get got use using able want need like just also only very"
    " как что это для при или его она они мне меня мой моя где когда почему если нет все"
    " так уже ещё еще там тут чем кто".split()
)


def terms_of(text: str, *, limit: int = 8) -> list[str]:
    """The distinct meaningful words of a query (no stop words, at least 3 letters)."""
    words = [
        w.lower()
        for w in _WORD_RE.findall(text or "")
        if len(w) >= 3 and w.lower() not in STOP_WORDS
    ]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return seen[:limit]


def ranked(
    text: str,
    *,
    viewer,
    kinds: list[str] | None = None,
    limit: int = 50,
    match_any: bool = False,
    excerpts: int | None = None,
) -> list:
    """The best ``limit`` hits of every (selected) source, merged by rank, as ``Ranked`` rows
    or ``SearchHit`` objects (both have ``kind``, ``rank`` and ``hit()``). Hits beyond the first
    ``excerpts`` of their source may lack an excerpt."""
    if not terms_of(text):
        return []
    rows: list = []
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
    text: str, *, viewer, kinds: list[str] | None = None, limit: int = 50, match_any: bool = False
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
    viewer,
    kinds: list[str] | None = None,
    page=None,
    per_page: int = 20,
    max_hits: int = 200,
) -> Page:
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
    return page_obj


def finished(rank: Callable[..., list]) -> Callable[..., list[SearchHit]]:
    """A source's ``search`` from its ``rank``: every hit built, with its excerpt."""

    def search(text: str, *, viewer, limit: int = 50, match_any: bool = False):
        return [row.hit() for row in rank(text, viewer=viewer, limit=limit, match_any=match_any)]

    return search


# --- PostgreSQL ---------------------------------------------------------------------------


def vector_expression(*, title: str | None, body: str) -> Any:
    parts = []
    for config in CONFIGS:
        if title:
            parts.append(SearchVector(title, config=config, weight="A"))
        parts.append(SearchVector(body, config=config, weight="B"))
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return expression


def vector_update(queryset, *, title: str | None = "title", body: str = "body") -> None:
    """Refresh ``search_vector`` of the rows in ``queryset`` (no-op on SQLite)."""
    if is_postgres():
        queryset.update(search_vector=vector_expression(title=title, body=body))


def vector_texts(
    model, texts: list[tuple[str, ...]], *, title: str | None = "title", body: str = "body"
) -> list[str]:
    """PostgreSQL: the ``search_vector`` that ``vector_update`` gives a row of ``model`` with
    each of ``texts`` (``(title, body)``, or ``(body,)`` when ``title`` is None), as tsvector
    text, so bulk loads can write rows with their vector instead of updating them after."""
    if not texts:
        return []
    query = model.objects.all().query
    expression = vector_expression(title=title, body=body).resolve_expression(query)
    sql, params = query.get_compiler(connection=connection).compile(expression)
    # The expression names the model's table; here that is the alias of the texts.
    fields = [model._meta.get_field(name) for name in ((title, body) if title else (body,))]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    arrays = ", ".join("%s::text[]" for _ in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({sql})::text FROM unnest({arrays}) WITH ORDINALITY "  # noqa: S608
            f"AS {table} ({columns}, position) ORDER BY position",
            [*params, *(list(column) for column in zip(*texts, strict=True))],
        )
        return [vector for (vector,) in cursor.fetchall()]


def pg_query_text(text: str, *, match_any: bool = False) -> str:
    """The text passed to PostgreSQL's tsquery: the words joined by | for ``match_any``."""
    return " | ".join(terms_of(text)) if match_any else text


def _tsquery(query_text: str, *, match_any: bool) -> SearchQuery:
    search_type = "raw" if match_any else "websearch"
    queries = [SearchQuery(query_text, config=c, search_type=search_type) for c in CONFIGS]
    return queries[0] | queries[1]


CANDIDATES = 200


# A table this large asks the planner how many rows a search may match (see ``_sparse``).
LARGE_TABLE = 20_000
_SPARSE: dict[tuple, bool] = {}
_SPARSE_MAX = 1024
_ROWS: dict[tuple, tuple[float, float]] = {}  # (model, db) -> (estimated rows, when)


def _table_rows(model, db: str) -> float:
    """The planner's row count of ``model``'s table (``reltuples``), read every 10 minutes."""
    key = (model, db)
    cached = _ROWS.get(key)
    now = time.monotonic()
    if cached is None or cached[1] < now - 600:
        with connections[db].cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
            )
            row = cursor.fetchone()
        cached = _ROWS[key] = (float(row[0]) if row else -1.0, now)
    return cached[0]


def _sparse(model, db: str, query_text: str, match_any: bool) -> bool:
    """Whether few of a large table's rows are expected to match, by the planner's word
    statistics: then the GIN index finds all of them sooner than walking the id index back
    until CANDIDATES match, which for a word that matches nothing reads the whole table
    (80 ms over the benchmark's 300,000 answers, 0.1 ms through the index). The walk costs
    about CANDIDATES × rows / matches row checks and the index about matches heap visits,
    each ~4 times a check: they cross at sqrt(CANDIDATES × rows / 4) matches. Decided once
    per table and text in each process."""
    rows = _table_rows(model, db)
    if rows < LARGE_TABLE:
        return False
    key = (model, db, query_text, match_any)
    found = _SPARSE.get(key)
    if found is None:
        probe = model._base_manager.filter(
            search_vector=_tsquery(query_text, match_any=match_any)
        ).values("pk")
        sql, params = probe.query.get_compiler(db).as_sql()
        with connections[db].cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        found = plan[0]["Plan"]["Plan Rows"] < math.sqrt(CANDIDATES * rows / 4)
        if len(_SPARSE) >= _SPARSE_MAX:
            _SPARSE.clear()
        _SPARSE[key] = found
    return found


def _ranked_queryset(
    queryset,
    query_text: str,
    *,
    fields: list[str],
    headline_field: str,
    limit: int,
    match_any: bool,
    boost: Q | None,
    excerpts: int | None,
    sparse: bool = False,
):
    query = _tsquery(query_text, match_any=match_any)
    rank = SearchRank(F("search_vector"), query)
    if boost is not None:
        rank = rank * Case(
            When(boost, then=Value(2.0)), default=Value(1.0), output_field=FloatField()
        )
    # Ranking reads every matching row's vector; for a very common word that is most of the
    # table (the benchmark's «ошибки» matched ~100,000 answers). Rank only the newest
    # CANDIDATES matches of each source, as many as the search page ever shows (200 hits,
    # ten pages), found by walking the id index back until that many match: for a two-word
    # English query on the benchmark data 400 took 7 ms, 200 half as long.
    # When few rows match (``_sparse``), "id + 0" keeps the planner off the id index: it
    # collects the matches through the GIN index and keeps the newest.
    newest = (F("id") + 0).desc() if sparse else F("id").desc()
    candidates = queryset.filter(search_vector=query).order_by(newest).values("id")[:CANDIDATES]
    headline = SearchHeadline(
        headline_field,
        query,
        config="russian",
        start_sel=_START,
        stop_sel=_STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    order = [F("rank").desc(), F("id").desc()]
    # The candidates are already the rows the viewer may see: the outer query only ranks
    # them, without the visibility joins again.
    rows = queryset.model._base_manager.filter(id__in=Subquery(candidates)).annotate(rank=rank)
    if excerpts is not None:
        rows = rows.annotate(search_row=Window(RowNumber(), order_by=order)).annotate(
            headline=Case(When(search_row__lte=excerpts, then=headline), default=None)
        )
    else:
        rows = rows.annotate(headline=headline)
    return rows.order_by(*order).values_list("rank", "headline", *fields)[:limit]


# Stands for the query text while a ranking query is compiled; replaced in the parameters.
_TEXT = "\ue002query\ue002"
_COMPILED: dict[tuple, tuple[str, tuple]] = {}
_COMPILED_MAX = 256


def pg_ranked(
    queryset,
    text: str,
    *,
    fields: list[str],
    headline_field: str,
    limit: int,
    match_any: bool,
    boost: Q | None = None,
    excerpts: int | None = None,
) -> list:
    """The best ``limit`` matches in ``queryset`` as rows ``(rank, headline, *fields)``, best
    first (rank, then newest). Only the first ``excerpts`` rows (None: all) get a headline;
    the others have None there, since ts_headline parses the whole text again.

    Building and compiling this query costs more Python time than PostgreSQL needs to run
    it, so the SQL is compiled once per shape: the key holds the SQL and parameters of the
    visibility ``queryset`` (whatever it depends on, viewer included) and every argument
    but the text, which is swapped into the parameters."""
    if excerpts is not None and excerpts >= limit:
        excerpts = None
    query_text = pg_query_text(text, match_any=match_any)
    db = queryset.db
    sparse = _sparse(queryset.model, db, query_text, match_any)
    key = (
        queryset.model,
        db,
        queryset.query.get_compiler(db).as_sql(),
        tuple(fields),
        headline_field,
        limit,
        match_any,
        repr(boost),
        excerpts,
        sparse,
    )
    compiled = _COMPILED.get(key)
    if compiled is None:
        sql, params = (
            _ranked_queryset(
                queryset,
                _TEXT,
                fields=fields,
                headline_field=headline_field,
                limit=limit,
                match_any=match_any,
                boost=boost,
                excerpts=excerpts,
                sparse=sparse,
            )
            .query.get_compiler(db)
            .as_sql()
        )
        if _TEXT not in params:  # the text went elsewhere than a parameter: do not reuse
            return list(
                _ranked_queryset(
                    queryset,
                    query_text,
                    fields=fields,
                    headline_field=headline_field,
                    limit=limit,
                    match_any=match_any,
                    boost=boost,
                    excerpts=excerpts,
                    sparse=sparse,
                )
            )
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        compiled = _COMPILED[key] = (sql, tuple(params))
    sql, params = compiled
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [query_text if p == _TEXT else p for p in params])
        return cursor.fetchall()


def headline_html(raw: str | None) -> SafeString:
    """ts_headline output (unescaped user text with our markers) as safe HTML."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


# --- SQLite fallback --------------------------------------------------------------------


def stem(term: str) -> str:
    """A crude stem so "errors"/"error" and "ошибки"/"ошибка" meet in LIKE matching."""
    if len(term) > 5:
        return term[: max(4, len(term) - 2)]
    if len(term) > 3:
        return term[:-1]
    return term


def fallback_filter(text: str, fields: list[str], *, match_any: bool) -> Q:
    condition = Q()
    for term in terms_of(text):
        per_term = Q()
        for name in fields:
            per_term |= Q(**{f"{name}__icontains": stem(term)})
        condition = (condition | per_term) if match_any else (condition & per_term)
    return condition


def fallback_rank(text: str, *, title: str, body: str, solved: bool = False) -> float:
    title_l, body_l = (title or "").lower(), (body or "").lower()
    score = 0.0
    for term in terms_of(text):
        s = stem(term)
        score += 2.0 * title_l.count(s) + 0.5 * min(body_l.count(s), 4)
    return score * (2.0 if solved else 1.0)


def excerpt_html(text: str, source: str, *, width: int = 220) -> SafeString:
    """An escaped excerpt of ``source`` (Markdown) around the first match, terms in <mark>."""
    plain = html_lib.unescape(plain_text(source))  # plain_text is HTML-escaped text
    stems = [stem(t) for t in terms_of(text)]
    lower = plain.lower()
    positions = [lower.find(s) for s in stems if s and lower.find(s) >= 0]
    start = max(0, min(positions) - 60) if positions else 0
    snippet = plain[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(plain) else ""
    html: str = escape(prefix + snippet + suffix)
    if stems:
        pattern = re.compile(
            r"(?<![&#\w])("
            + "|".join(re.escape(escape(s)) for s in sorted(stems, key=len, reverse=True))
            + r")\w*",
            re.IGNORECASE | re.UNICODE,
        )
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text
