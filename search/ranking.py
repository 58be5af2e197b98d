"""Ranking the rows of one source.

On PostgreSQL ranking is ``ts_rank`` over the stored vector (``vectors``; a ``boost``, such
as solved questions, counts double) and excerpts come from ``ts_headline``. On SQLite the
fallback matches word stems with ``icontains`` and ranks by where the terms occur; excerpts
are then highlighted in Python after escaping (``excerpts``).
"""

import json
import math
import time
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import connections
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    Model,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import RowNumber
from django.db.models.lookups import Contains

from .excerpts import START, STOP
from .terms import fold, stem, terms_of
from .vectors import CONFIGS

# --- PostgreSQL ---------------------------------------------------------------------------


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
_SPARSE: dict[tuple[type[Model], str, str, bool], bool] = {}
_SPARSE_MAX = 1024
_ROWS: dict[
    tuple[type[Model], str], tuple[float, float]
] = {}  # (model, db) -> (estimated rows, when)


def _table_rows(model: type[Model], db: str) -> float:
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


def _sparse(model: type[Model], db: str, query_text: str, match_any: bool) -> bool:
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
    queryset: QuerySet[Any],
    query_text: str,
    *,
    fields: list[str],
    headline_field: str,
    limit: int,
    match_any: bool,
    boost: Q | None,
    excerpts: int | None,
    sparse: bool = False,
) -> QuerySet[Any, tuple[Any, ...]]:
    query = _tsquery(query_text, match_any=match_any)
    rank: SearchRank | CombinedExpression = SearchRank(F("search_vector"), query)
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
        start_sel=START,
        stop_sel=STOP,
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
_COMPILED: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
_COMPILED_MAX = 256


def pg_ranked(
    queryset: QuerySet[Any],
    text: str,
    *,
    fields: list[str],
    headline_field: str,
    limit: int,
    match_any: bool,
    boost: Q | None = None,
    excerpts: int | None = None,
) -> list[tuple[Any, ...]]:
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


# --- SQLite fallback --------------------------------------------------------------------


def fallback_filter(text: str, fields: list[str], *, match_any: bool) -> Q:
    """Each term's stem in one of ``fields``, compared folded (``veche_fold``: lower case in
    every alphabet, ё as е; SQLite's own LIKE folds only ASCII)."""
    condition = Q()
    for term in terms_of(text):
        per_term = Q()
        for name in fields:
            folded = Func(F(name), function="veche_fold", output_field=TextField())
            per_term |= Q(Contains(folded, stem(term)))
        condition = (condition | per_term) if match_any else (condition & per_term)
    return condition


def fallback_rank(text: str, *, title: str, body: str, solved: bool = False) -> float:
    title_l, body_l = fold(title or ""), fold(body or "")
    score = 0.0
    for term in terms_of(text):
        s = stem(term)
        score += 2.0 * title_l.count(s) + 0.5 * min(body_l.count(s), 4)
    return score * (2.0 if solved else 1.0)
