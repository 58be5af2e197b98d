"""Who may read and write private messages (docs/messages.md).

- A conversation is visible to its participants (archived or not). A moderator or staff
  member who takes no part in it sees it only once a message in it has been flagged (the
  visit is written to the audit log); to everyone else it does not exist (404).
- Banned and suspended members cannot write at all; silenced members cannot start a
  conversation, and may only answer in one where a moderator or staff member takes part.
- The team (staff and moderators) may write to several members, to members who turned
  messages off, and is never blocked nor rate-limited.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from moderation import services as moderation
from moderation.models import Flag
from moderation.permissions import can_moderate

from .models import Block, Conversation, Message, MessageSettings, Participant


def is_team(member: Any) -> bool:
    """Staff and moderators: they write to anyone, to several members, without limits."""
    return bool(getattr(member, "is_authenticated", False) and member.is_moderator)


def _flagged_q() -> Q:
    message_type = ContentType.objects.get_for_model(Message)
    flagged_messages = Flag.objects.filter(target_type=message_type).values("target_id")
    return Q(Exists(Message.objects.filter(conversation=OuterRef("pk"), pk__in=flagged_messages)))


def conversations_visible_to(viewer: Any) -> QuerySet[Conversation]:
    """Conversations ``viewer`` may open: theirs, and for moderators the flagged ones."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Conversation.objects.none()
    mine = Q(Exists(Participant.objects.filter(conversation=OuterRef("pk"), member=viewer)))
    if can_moderate(viewer):
        return Conversation.objects.filter(mine | _flagged_q())
    return Conversation.objects.filter(mine)


def messages_visible_to(viewer: Any) -> QuerySet[Message]:
    """The messages ``viewer`` may see (and flag): those of the conversations they may open."""
    return Message.objects.filter(conversation__in=conversations_visible_to(viewer).values("pk"))


def conversations_of(member: Any) -> QuerySet[Conversation]:
    """Only the conversations ``member`` takes part in (what a notification may mention)."""
    if not getattr(member, "is_authenticated", False):
        return Conversation.objects.none()
    return Conversation.objects.filter(participants__member=member)


def _until(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z"))


def _check_can_write(member: Any) -> None:
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to send messages."))
    if member.is_banned:
        raise PermissionDenied(_("Your account is banned."))
    if member.is_suspended:
        raise PermissionDenied(_("Your account is suspended."))


def check_can_start(member: Any) -> None:
    """May ``member`` start a conversation at all (before the recipients are known)?"""
    _check_can_write(member)
    if member.is_silenced:
        raise PermissionDenied(
            _("You are silenced and cannot start conversations until %(until)s.")
            % {"until": _until(member.silenced_until)}
        )
    moderation.check_can_post(member)


def can_start(member: Any) -> bool:
    try:
        check_can_start(member)
    except PermissionDenied:
        return False
    return True


def max_recipients(member: Any) -> int:
    if is_team(member):
        return int(settings.VECHE_MESSAGE_MAX_RECIPIENTS_STAFF)
    return int(settings.VECHE_MESSAGE_MAX_RECIPIENTS)


def accepts_messages_from(recipient: Member, sender: Member) -> bool:
    """Has ``recipient`` neither turned messages off nor blocked ``sender``? (The team always
    gets through.)"""
    if is_team(sender):
        return True
    if MessageSettings.objects.filter(
        member=recipient, accept_from=MessageSettings.AcceptFrom.NOBODY
    ).exists():
        return False
    return not Block.objects.filter(blocker=recipient, blocked=sender).exists()


def check_can_message(sender: Member, recipients: Iterable[Member]) -> None:
    """May ``sender`` start a conversation with ``recipients``? One reason per refusal."""
    recipients = list(recipients)
    if not recipients:
        raise PermissionDenied(_("Name at least one member."))
    limit = max_recipients(sender)
    if len(recipients) > limit:
        raise PermissionDenied(
            _("You can write to at most %(limit)s members at once.") % {"limit": limit}
        )
    for recipient in recipients:
        if recipient.pk == sender.pk:
            raise PermissionDenied(_("You cannot send a message to yourself."))
        if not recipient.is_active or recipient.is_deleted or recipient.is_banned:
            raise PermissionDenied(
                _("%(name)s cannot receive messages.") % {"name": recipient.username}
            )
        if Block.objects.filter(blocker=sender, blocked=recipient).exists():
            raise PermissionDenied(
                _("You have blocked %(name)s; unblock them first to write to them.")
                % {"name": recipient.username}
            )
        if not accepts_messages_from(recipient, sender):
            raise PermissionDenied(
                _("%(name)s does not accept private messages from you.")
                % {"name": recipient.username}
            )


def check_can_reply(
    member: Any, conversation: Conversation, participants: list[Participant] | None = None
) -> None:
    """May ``member`` answer in ``conversation`` (whose ``participants`` the caller may pass
    when it has them)? Participants only; silenced members only where the team takes part;
    nobody who was blocked by another participant."""
    _check_can_write(member)
    if participants is None:
        participants = list(
            Participant.objects.filter(conversation=conversation).select_related("member")
        )
    if not any(p.member_id == member.pk for p in participants):
        raise PermissionDenied(_("Only the members of this conversation can write in it."))
    others = [p for p in participants if p.member_id != member.pk]
    if member.is_silenced and not any(is_team(p.member) for p in others):
        raise PermissionDenied(
            _("You are silenced until %(until)s: you can only answer the moderators and staff.")
            % {"until": _until(member.silenced_until)}
        )
    if not member.is_silenced:
        moderation.check_can_post(member)
    if (
        not is_team(member)
        and Block.objects.filter(blocker__in=[p.member_id for p in others], blocked=member).exists()
    ):
        raise PermissionDenied(_("A member of this conversation has blocked you."))


def reply_refusal(
    member: Any, conversation: Conversation, participants: list[Participant] | None = None
) -> str | None:
    """Why ``member`` may not answer here (shown instead of the reply form), or ``None``."""
    try:
        check_can_reply(member, conversation, participants)
    except PermissionDenied as exc:
        return moderation.refusal_reason(exc)
    return None


def check_can_block(blocker: Any, blocked: Member) -> None:
    if not getattr(blocker, "is_authenticated", False):
        raise PermissionDenied(_("Please log in."))
    if blocker.pk == blocked.pk:
        raise PermissionDenied(_("You cannot block yourself."))
    if is_team(blocked):
        raise PermissionDenied(_("Moderators and staff cannot be blocked."))
