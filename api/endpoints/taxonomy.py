"""Categories and tags."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from forum.models import Category, Tag
from forum.permissions import questions as perms

from ..access import reading
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from ..schemas import CategoryOut, ErrorOut, TagPage

router = Router(tags=["categories and tags"])


class TagQuery(Schema):
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/categories",
    response={200: list[CategoryOut], 401: ErrorOut, 403: ErrorOut},
    summary="The categories you may see",
)
def category_list(request: HttpRequest) -> QuerySet[Category]:
    reading(request)
    return perms.categories_visible_to(request.user).order_by("position", "name", "id")


@router.get(
    "/tags",
    response={200: TagPage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Tags, by name",
)
def tag_list(request: HttpRequest, query: Query[TagQuery]) -> dict[str, Any]:
    reading(request)
    rows, next_cursor = cursor_page(
        Tag.objects.order_by("name", "id"), cursor=query.cursor, limit=query.limit
    )
    return {"results": rows, "next_cursor": next_cursor}
