"""FAQ entries: read (published ones; staff see drafts too), and staff publish or
unpublish them."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from forum.models import FaqEntry
from forum.permissions import questions as perms
from forum.selectors.faq import faq_list_for
from forum.services.faq import faq_entry_update

from ..access import acting, reading
from ..models import Scope
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from ..schemas import ErrorOut, FaqOut, FaqPage, FaqPublishIn

router = Router(tags=["faq"])

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class FaqQuery(Schema):
    category: str | None = Field(None, description="A category's slug.")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _visible_entry(request: HttpRequest, pk: int) -> FaqEntry:
    entry = faq_list_for(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


@router.get("", response={200: FaqPage, **ERRORS}, summary="List FAQ entries")
def faq_list(request: HttpRequest, query: Query[FaqQuery]) -> dict[str, Any]:
    """In the FAQ page's order: by category, then the entries' positions."""
    reading(request)
    entries = faq_list_for(request.user)
    if query.category:
        entries = entries.filter(category__slug=query.category)
    rows, next_cursor = cursor_page(entries, cursor=query.cursor, limit=query.limit)
    return {"results": rows, "next_cursor": next_cursor}


@router.get("/{int:pk}", response={200: FaqOut, **ERRORS}, summary="An FAQ entry")
def faq_detail(request: HttpRequest, pk: int) -> FaqEntry:
    reading(request)
    return _visible_entry(request, pk)


@router.post(
    "/{int:pk}/publish",
    response={200: FaqOut, **ERRORS},
    summary="Publish or unpublish an FAQ entry (staff; the admin scope)",
)
def faq_publish(request: HttpRequest, pk: int, payload: FaqPublishIn) -> FaqEntry:
    member = acting(request, Scope.ADMIN)
    perms.check_can_manage_faq(member)
    entry = _visible_entry(request, pk)
    return faq_entry_update(
        actor=member,
        entry=entry,
        category=entry.category,
        title=entry.title,
        body=entry.body,
        position=entry.position,
        review_by=entry.review_by,
        is_published=payload.is_published,
    )
