"""The moderation inbox, for moderators (the moderate scope): read open items and approve or
reject them, through the same services and form as the inbox page."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from moderation import selectors, services
from moderation.forms import DecisionForm
from moderation.models import QueueItem
from moderation.permissions import check_can_moderate

from ..access import acting, cleaned
from ..models import Scope
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from ..permissions import check_scope
from ..schemas import ApproveIn, DoneOut, ErrorOut, QueuePage, RejectIn

router = Router(tags=["moderation"])

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class QueueQuery(Schema):
    queue: str | None = Field(None, description="One queue (approval, flagged, appeals…).")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _row(row: dict[str, Any]) -> dict[str, Any]:
    """An inbox row (``moderation.selectors.queue_rows``: no query per row) for the API."""
    item: QueueItem = row["item"]
    return {
        "id": item.pk,
        "queue": item.queue,
        "reason": item.reason,
        "member": item.member.username if item.member is not None else None,
        "created_at": item.created_at,
        "target": None
        if row["target"] is None
        else {
            "type": str(row["label"]),
            "id": item.target_id,
            "title": str(row["title"]),
            "url": row["url"],
        },
    }


@router.get(
    "/queue",
    response={200: QueuePage, **ERRORS},
    summary="Open items of the moderation inbox (moderators; the moderate scope)",
)
def queue_list(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    check_scope(request, Scope.MODERATE)
    check_can_moderate(request.user)
    rows, next_cursor = cursor_page(
        selectors.queue_items_open(query.queue), cursor=query.cursor, limit=query.limit
    )
    return {"results": [_row(r) for r in selectors.queue_rows(rows)], "next_cursor": next_cursor}


def _decide(request: HttpRequest, pk: int, data: dict[str, Any], *, approve: bool) -> None:
    member = acting(request, Scope.MODERATE)
    check_can_moderate(member)
    item = selectors.queue_item_get_open(pk)
    form = cleaned(DecisionForm(data))
    if approve:
        services.queue_item_approve(actor=member, item=item, message=form["message"])
    else:
        services.queue_item_reject(
            actor=member, item=item, rule=form["rule"], message=form["message"]
        )


@router.post(
    "/queue/{int:pk}/approve", response={200: DoneOut, **ERRORS}, summary="Approve an item"
)
def queue_item_approve(request: HttpRequest, pk: int, payload: ApproveIn) -> dict[str, bool]:
    _decide(request, pk, {"message": payload.message}, approve=True)
    return {"done": True}


@router.post(
    "/queue/{int:pk}/reject",
    response={200: DoneOut, **ERRORS},
    summary="Reject an item (a post needs the rule it breaks)",
)
def queue_item_reject(request: HttpRequest, pk: int, payload: RejectIn) -> dict[str, bool]:
    data = {"message": payload.message, "rule": payload.rule or ""}
    _decide(request, pk, data, approve=False)
    return {"done": True}
