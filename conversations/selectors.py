"""Every read of private messages: the inbox, one conversation for a viewer, its messages,
the member's blocks and settings."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.fields import BooleanField
from django.http import Http404

from members.models import Member

from . import permissions as perms
from .models import Block, Conversation, Message, MessageSettings, Participant

MAX_ID = 2**63 - 1


def inbox_for(member: Member, *, archived: bool = False) -> QuerySet[Participant]:
    """The member's seats, newest conversation first, with ``unread`` and the other
    participants (one query for the page, one for the names)."""
    return (
        Participant.objects.filter(member=member, left_at__isnull=not archived)
        .select_related("conversation")
        .annotate(
            unread=Case(
                When(
                    Q(last_read_at__isnull=True)
                    | Q(last_read_at__lt=F("conversation__last_message_at")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .prefetch_related(
            Prefetch(
                "conversation__participants",
                queryset=Participant.objects.select_related("member").order_by("joined_at", "id"),
            )
        )
        .order_by("-conversation__last_message_at", "-conversation_id")
    )


@dataclass
class ConversationView:
    conversation: Conversation
    participant: Participant | None  # None: a moderator looking at a flagged conversation
    participants: list[Participant]

    @property
    def staff_view(self) -> bool:
        return self.participant is None


def conversation_for(viewer: Any, pk: int) -> ConversationView:
    """The conversation ``pk`` as ``viewer`` may see it, else 404 (a missing conversation and
    somebody else's look the same). One query for a participant; a moderator who takes no
    part gets it only when a message in it was flagged."""
    if pk > MAX_ID or not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        raise Http404
    participants = list(
        Participant.objects.filter(conversation_id=pk)
        .select_related("member", "conversation")
        .order_by("joined_at", "id")
    )
    if not participants:
        raise Http404
    conversation = participants[0].conversation
    for p in participants:
        p.conversation = conversation
    mine = next((p for p in participants if p.member_id == viewer.pk), None)
    if mine is None and not (
        perms.can_moderate(viewer) and perms.conversations_visible_to(viewer).filter(pk=pk).exists()
    ):
        raise Http404
    return ConversationView(conversation, mine, participants)


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    return (
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("created_at", "id")
    )


def blocks_of(member: Member) -> QuerySet[Block]:
    return Block.objects.filter(blocker=member).select_related("blocked").order_by("-created_at")


def is_blocked_by(blocker: Member, blocked: Member) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def accept_from_of(member: Member) -> str:
    found = MessageSettings.objects.filter(member=member).values_list("accept_from", flat=True)
    return found.first() or MessageSettings.AcceptFrom.EVERYONE


def member_by_username(username: str) -> Member:
    member = Member.objects.filter(username=username[:150], is_active=True).first()
    if member is None or member.is_deleted:
        raise Http404
    return member
