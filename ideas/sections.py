"""The idea board's blocks on the home page and on member profiles (constant queries)."""

from typing import Any

from django.http import HttpRequest

from members.models import Member

from . import selectors
from .permissions import sees_ambassador_space


def home_section(request: HttpRequest) -> dict[str, Any]:
    # Two queries: top open ideas, and ideas trending in the last days.
    return {
        "template": "ideas/_home_section.html",
        "top_ideas": selectors.idea_list_top(request.user, limit=5),
        "trending_ideas": selectors.idea_list_trending(request.user, limit=5),
    }


def home_as_visitors(request: HttpRequest) -> bool:
    """The ideas block is the visitors' for whoever sees no ambassadors' categories."""
    return not sees_ambassador_space(request.user)


def profile_section(request: HttpRequest, member: Member) -> dict[str, Any]:
    # One query: the member's latest listed ideas.
    return {
        "template": "ideas/_profile_section.html",
        "profile_ideas": selectors.idea_list_by_author(request.user, member, limit=10),
    }
