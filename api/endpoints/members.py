"""Members' public profiles, as the member directory and profile pages show them."""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from members.filters import MemberDirectoryFilter
from members.models import Member
from members.selectors import member_get_profile, member_list_directory

from ..access import cleaned, filter_data, reading
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from ..schemas import ErrorOut, MemberOut, MemberPage

router = Router(tags=["members"])


class MemberQuery(Schema):
    q: str | None = Field(None, description="Part of a username or display name.")
    expertise: str | None = Field(None, description="A tag slug the member knows well.")
    # Not "active": the last active day is empty for some members, and a cursor needs values.
    sort: Literal["joined", "-joined", "reputation", "-reputation"] | None = None
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "",
    response={200: MemberPage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="The member directory, newest first",
)
def member_list(request: HttpRequest, query: Query[MemberQuery]) -> dict[str, Any]:
    reading(request)
    filterset = MemberDirectoryFilter(
        filter_data(query, ("q", "expertise", "sort")), queryset=member_list_directory()
    )
    if not filterset.is_valid():
        cleaned(filterset.form)
    rows, next_cursor = cursor_page(filterset.qs, cursor=query.cursor, limit=query.limit)
    return {"results": rows, "next_cursor": next_cursor}


@router.get(
    "/{username}",
    response={200: MemberOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A member's public profile",
)
def member_detail(request: HttpRequest, username: str) -> Member:
    reading(request)
    return member_get_profile(username)
