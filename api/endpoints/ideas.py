"""The idea board: read ideas with their status history; post, vote, comment; staff change
an idea's status."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from ideas import permissions as perms
from ideas import selectors, services
from ideas.filters import IdeaFilter
from ideas.forms import IdeaCommentForm, IdeaForm, IdeaStatusForm
from ideas.models import Idea

from ..access import acting, cleaned, filter_data, reading
from ..models import Scope
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from ..schemas import (
    BodyIn,
    CreatedOut,
    DoneOut,
    ErrorOut,
    IdeaIn,
    IdeaOut,
    IdeaPage,
    IdeaStatusIn,
    VotedOut,
)

router = Router(tags=["ideas"])

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class IdeaQuery(Schema):
    status: str | None = Field(
        None, description="new, under_review, planned, in_progress, shipped or declined."
    )
    category: str | None = Field(None, description="A category's slug.")
    sort: str | None = Field(None, description="top (default), trending or newest.")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _visible_idea(request: HttpRequest, pk: int) -> Idea:
    try:
        return selectors.idea_get_detail(request.user, perms.ideas_visible_to(request.user), pk)
    except Idea.DoesNotExist:
        raise Http404 from None


@router.get("", response={200: IdeaPage, **ERRORS}, summary="List ideas")
def idea_list(request: HttpRequest, query: Query[IdeaQuery]) -> dict[str, Any]:
    reading(request)
    filterset = IdeaFilter(
        filter_data(query, ("status", "category", "sort")),
        queryset=selectors.idea_list(request.user),
        viewer=request.user,
    )
    if not filterset.is_valid():
        cleaned(filterset.form)
    rows, next_cursor = cursor_page(filterset.qs, cursor=query.cursor, limit=query.limit)
    return {"results": rows, "next_cursor": next_cursor}


@router.get(
    "/{int:pk}",
    response={200: IdeaOut, **ERRORS},
    summary="An idea with its status history and comments",
    description="An idea merged into another one shows merged_into (its page redirects).",
)
def idea_detail(request: HttpRequest, pk: int) -> Idea:
    reading(request)
    idea = _visible_idea(request, pk)
    idea.history = selectors.idea_status_history(idea)  # type: ignore[attr-defined]
    idea.comments = selectors.idea_comments(request.user, idea)  # type: ignore[attr-defined]
    return idea


@router.post("", response={201: CreatedOut, **ERRORS}, summary="Post an idea")
def idea_create(request: HttpRequest, payload: IdeaIn) -> Status[dict[str, Any]]:
    member = acting(request)
    # The page asks to look at similar ideas first; an integration has decided already.
    data = cleaned(IdeaForm({**payload.dict(), "confirmed": "on"}, member=member))
    idea = services.idea_create(
        actor=member,
        title=data["title"],
        description=data["description"],
        category=data["category"],
    )
    return Status(
        201, {"id": idea.pk, "url": idea.get_absolute_url(), "state": idea.moderation_state}
    )


@router.post("/{int:pk}/vote", response={200: VotedOut, **ERRORS}, summary="Vote for an idea")
def idea_vote(request: HttpRequest, pk: int) -> dict[str, Any]:
    member = acting(request)
    idea = _visible_idea(request, pk)
    services.idea_vote_cast(actor=member, idea=idea)
    return {"voted": True, "vote_count": selectors.idea_voter_count(idea)}


@router.delete("/{int:pk}/vote", response={200: VotedOut, **ERRORS}, summary="Withdraw a vote")
def idea_unvote(request: HttpRequest, pk: int) -> dict[str, Any]:
    member = acting(request)
    idea = _visible_idea(request, pk)
    services.idea_vote_withdraw(actor=member, idea=idea)
    return {"voted": False, "vote_count": selectors.idea_voter_count(idea)}


@router.post("/{int:pk}/follow", response={200: DoneOut, **ERRORS}, summary="Follow an idea")
def idea_follow(request: HttpRequest, pk: int) -> dict[str, bool]:
    member = acting(request)
    idea = _visible_idea(request, pk)
    services.idea_follow(actor=member, idea=idea)
    return {"done": True}


@router.delete(
    "/{int:pk}/follow", response={200: DoneOut, **ERRORS}, summary="Stop following an idea"
)
def idea_unfollow(request: HttpRequest, pk: int) -> dict[str, bool]:
    member = acting(request)
    idea = _visible_idea(request, pk)
    services.idea_unfollow(actor=member, idea=idea)
    return {"done": True}


@router.post(
    "/{int:pk}/comments", response={201: CreatedOut, **ERRORS}, summary="Comment on an idea"
)
def idea_comment(request: HttpRequest, pk: int, payload: BodyIn) -> Status[dict[str, Any]]:
    member = acting(request)
    idea = _visible_idea(request, pk)
    data = cleaned(IdeaCommentForm(payload.dict()))
    comment = services.idea_comment_add(actor=member, idea=idea, body=data["body"])
    url = f"{idea.get_absolute_url()}#comment-{comment.pk}"
    return Status(201, {"id": comment.pk, "url": url, "state": comment.moderation_state})


@router.post(
    "/{int:pk}/status",
    response={200: DoneOut, **ERRORS},
    summary="Change an idea's status (staff; the admin scope)",
)
def idea_status(request: HttpRequest, pk: int, payload: IdeaStatusIn) -> dict[str, bool]:
    member = acting(request, Scope.ADMIN)
    perms.check_can_change_idea_status(member)
    idea = _visible_idea(request, pk)
    data = cleaned(IdeaStatusForm(payload.dict()))
    services.idea_status_change(actor=member, idea=idea, status=data["status"], note=data["note"])
    return {"done": True}
