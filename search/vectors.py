"""The stored search vectors (PostgreSQL only).

Each searchable row keeps a ``search_vector`` (title weight A, body weight B, built with both
the ``russian`` and the ``english`` configuration so either language's word forms match),
kept up to date by its app's services with ``vector_update`` and GIN-indexed. The vector
fields stay on their apps' models; search has no models.
"""

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Expression, Field, Model, QuerySet

CONFIGS = ("russian", "english")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def vector_expression(*, title: str | None, body: str) -> Expression:
    parts: list[SearchVector] = []
    for config in CONFIGS:
        if title:
            parts.append(SearchVector(title, config=config, weight="A"))
        parts.append(SearchVector(body, config=config, weight="B"))
    expression: Expression = parts[0]
    for part in parts[1:]:
        expression = expression + part
    return expression


def vector_update(
    queryset: QuerySet[Any], *, title: str | None = "title", body: str = "body"
) -> None:
    """Refresh ``search_vector`` of the rows in ``queryset`` (no-op on SQLite)."""
    if is_postgres():
        queryset.update(search_vector=vector_expression(title=title, body=body))


def vector_texts(
    model: type[Model],
    texts: list[tuple[str, ...]],
    *,
    title: str | None = "title",
    body: str = "body",
) -> list[str]:
    """PostgreSQL: the ``search_vector`` that ``vector_update`` gives a row of ``model`` with
    each of ``texts`` (``(title, body)``, or ``(body,)`` when ``title`` is None), as tsvector
    text, so bulk loads can write rows with their vector instead of updating them after."""
    if not texts:
        return []
    query = model._default_manager.all().query
    expression = vector_expression(title=title, body=body).resolve_expression(query)
    sql, params = query.get_compiler(connection=connection).compile(expression)
    # The expression names the model's table; here that is the alias of the texts.
    names = (title, body) if title else (body,)
    columns = ", ".join(connection.ops.quote_name(_column(model, name)) for name in names)
    arrays = ", ".join("%s::text[]" for _ in names)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({sql})::text FROM unnest({arrays}) WITH ORDINALITY "  # noqa: S608
            f"AS {table} ({columns}, position) ORDER BY position",
            [*params, *(list(column) for column in zip(*texts, strict=True))],
        )
        return [vector for (vector,) in cursor.fetchall()]


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field.column
