"""What private messages hold about a member, for "export my data" and "delete my account"
(registered in ``members.personal_data`` by the receivers)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from members.models import Member
from members.personal_data import rows

from .models import Block, Message, MessageSettings, Participant

REMOVED_BODY = "-"


def export_conversations(member: Member) -> list[dict[str, Any]]:
    return rows(
        Participant.objects.filter(member=member).order_by("joined_at", "id"),
        "conversation_id",
        "conversation__subject",
        "conversation__created_at",
        "joined_at",
        "last_read_at",
        "left_at",
    )


def export_messages(member: Member) -> list[dict[str, Any]]:
    return rows(
        Message.objects.filter(author=member).order_by("created_at", "id"),
        "id",
        "conversation_id",
        "body",
        "created_at",
        "deleted_at",
        "moderation_state",
    )


def export_blocks(member: Member) -> list[dict[str, Any]]:
    found = rows(
        Block.objects.filter(blocker=member).order_by("created_at", "id"),
        "blocked__username",
        "created_at",
    )
    found += rows(MessageSettings.objects.filter(member=member), "accept_from")
    return found


def erase(member: Member, remove_posts: bool) -> None:
    """Blocks and settings go. Messages stay under "Deleted member" for the other
    participants, as forum posts do, or — when the community removes a deleted member's posts
    — lose their text and show as deleted."""
    with transaction.atomic():
        Block.objects.filter(blocker=member).delete()
        Block.objects.filter(blocked=member).delete()
        MessageSettings.objects.filter(member=member).delete()
        if remove_posts:
            Message.objects.filter(author=member, deleted_at__isnull=True).update(
                body=REMOVED_BODY, body_html="", deleted_at=timezone.now()
            )
