"""What the idea board holds about a member, for "export my data" and "delete my account"
(registered in ``members.personal_data`` by ideas.receivers)."""

from typing import Any

from django.db import transaction

from members.models import Member
from members.personal_data import rows
from moderation.content import ModerationState

from .models import Idea, IdeaVote, StatusWatch


def export_ideas(member: Member) -> list[dict[str, Any]]:
    return rows(
        Idea.objects.filter(author=member).order_by("created_at", "id"),
        "id",
        "title",
        "description",
        "status",
        "created_at",
        "moderation_state",
    )


def export_votes(member: Member) -> list[dict[str, Any]]:
    return rows(
        IdeaVote.objects.filter(member=member).order_by("created_at", "id"),
        "idea_id",
        "created_at",
    )


def export_watches(member: Member) -> list[dict[str, Any]]:
    return rows(
        StatusWatch.objects.filter(member=member).order_by("status"),
        "status",
        "level",
        "updated_at",
    )


def erase(member: Member, remove_posts: bool) -> None:
    """Watching levels go; votes stay on the anonymous placeholder (vote counts do not move);
    ideas stay under "Deleted member", or are hidden from every page."""
    StatusWatch.objects.filter(member=member).delete()
    if not remove_posts:
        return
    with transaction.atomic():
        Idea.objects.filter(author=member).exclude(moderation_state=ModerationState.HIDDEN).update(
            moderation_state=ModerationState.HIDDEN
        )
