"""Every write of private messages: start a conversation, answer, read, archive, block,
turn messages off, and a moderator's recorded look at a flagged conversation."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.markdown import render_markdown
from members.models import Member, Notification
from members.services import notification_mark_read, notification_send
from moderation import services as moderation

from . import permissions as perms
from .models import Block, Conversation, Message, MessageSettings, Participant

NOTIFICATION_KIND = "private_message"


def _check_rate(member: Member, limits: dict[int, int], recent: QuerySet, refusal: str) -> None:
    """Refuse with ``refusal`` once ``recent`` (the member's rows of the window) holds their
    trust level's limit. The team has no limit."""
    if perms.is_team(member):
        return
    limit = limits.get(member.trust_level, min(limits.values(), default=0))
    if recent.count() >= limit:
        raise PermissionDenied(refusal % {"limit": limit})


def check_rate_conversations(member: Member) -> None:
    """New conversations per 24 hours, by trust level."""
    _check_rate(
        member,
        settings.VECHE_MESSAGE_CONVERSATIONS_PER_DAY,
        Conversation.objects.filter(
            created_by=member, created_at__gte=timezone.now() - timedelta(days=1)
        ),
        _(
            "You have started %(limit)s conversations in the last 24 hours, your limit for "
            "now. Please try again later."
        ),
    )


def check_rate_messages(member: Member) -> None:
    """Messages per minute, by trust level."""
    _check_rate(
        member,
        settings.VECHE_MESSAGE_RATE_PER_MINUTE,
        Message.objects.filter(
            author=member, created_at__gte=timezone.now() - timedelta(minutes=1)
        ),
        _("You are sending messages too fast (at most %(limit)s a minute). Please wait."),
    )


def conversation_start(
    *, actor: Member, recipients: Iterable[Member], subject: str, body: str
) -> Conversation:
    """Start a conversation of ``actor`` with ``recipients`` and its first message."""
    recipients = list({m.pk: m for m in recipients}.values())  # each member once
    perms.check_can_start(actor)
    perms.check_can_message(actor, recipients)
    check_rate_conversations(actor)
    check_rate_messages(actor)
    subject = subject.strip()
    if not subject or not body.strip():
        raise ValidationError(_("A conversation needs a subject and a message."))
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            subject=subject, created_by=actor, created_at=now, last_message_at=now
        )
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, member=actor, joined_at=now, last_read_at=now)]
            + [Participant(conversation=conversation, member=m, joined_at=now) for m in recipients]
        )
        _message_create(actor=actor, conversation=conversation, body=body, now=now)
    return conversation


def message_send(
    *,
    actor: Member,
    conversation: Conversation,
    body: str,
    participants: list[Participant] | None = None,
) -> Message:
    """Answer in ``conversation`` (``participants``: its seats, when the caller has them)."""
    perms.check_can_reply(actor, conversation, participants)
    check_rate_messages(actor)
    if not body.strip():
        raise ValidationError(_("Write a message."))
    with transaction.atomic():
        now = timezone.now()
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        conversation.last_message_at = now
        Participant.objects.filter(conversation=conversation, member=actor).update(
            last_read_at=now, left_at=None
        )
        return _message_create(actor=actor, conversation=conversation, body=body, now=now)


def _message_create(
    *, actor: Member, conversation: Conversation, body: str, now: datetime
) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        author=actor,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )
    _notify(actor=actor, conversation=conversation, now=now)
    return message


def _notify(*, actor: Member, conversation: Conversation, now: datetime) -> None:
    """Bring the conversation back to every other participant's inbox, and tell those who
    have read everything they were told of (one notification, one e-mail, until they read)."""
    others = Participant.objects.filter(conversation=conversation).exclude(member=actor)
    others.update(left_at=None)
    due = list(
        others.filter(
            Q(notified_at__isnull=True)
            | Q(last_read_at__isnull=False, last_read_at__gte=F("notified_at")),
            member__is_active=True,
            member__deleted_at__isnull=True,
        ).select_related("member")
    )
    if not due:
        return
    Participant.objects.filter(pk__in=[p.pk for p in due]).update(notified_at=now)
    notification_send(
        recipients=[p.member for p in due],
        kind=NOTIFICATION_KIND,
        actor=actor,
        params={"title": conversation.subject},
        url=conversation.get_absolute_url(),
        target=conversation,
    )


def conversation_read(*, member: Member, participant: Participant) -> None:
    """``member`` has seen the conversation up to now: its unread mark and its notification
    go (no query when nothing was unread since the last visit)."""
    now = timezone.now()
    conversation = participant.conversation
    told = participant.notified_at is not None and (
        participant.last_read_at is None or participant.last_read_at < participant.notified_at
    )
    unread = participant.last_read_at is None or participant.last_read_at < (
        conversation.last_message_at
    )
    if not unread and not told:
        return
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(last_read_at=now)
        participant.last_read_at = now
        if told:
            ids = list(
                Notification.objects.filter(
                    recipient=member,
                    read_at__isnull=True,
                    kind=NOTIFICATION_KIND,
                    target_type=ContentType.objects.get_for_model(Conversation),
                    target_id=conversation.pk,
                ).values_list("pk", flat=True)
            )
            if ids:
                notification_mark_read(member=member, ids=ids)


def conversation_archive(*, member: Member, participant: Participant) -> None:
    """Out of the inbox until someone writes again."""
    Participant.objects.filter(pk=participant.pk, member=member).update(left_at=timezone.now())


def conversation_unarchive(*, member: Member, participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk, member=member).update(left_at=None)


def conversation_staff_open(*, actor: Member, conversation: Conversation) -> None:
    """A moderator who takes no part opens a flagged conversation: one audit row per visit."""
    moderation.audit_log_write(
        actor=actor,
        action="conversations.flagged_view",
        target=conversation,
        member=conversation.created_by,
        reason=_("Opened a flagged private conversation."),
    )


def block_add(*, blocker: Member, blocked: Member) -> Block:
    perms.check_can_block(blocker, blocked)
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


def block_remove(*, blocker: Member, blocked: Member) -> int:
    deleted, _detail = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted


def message_settings_update(*, member: Member, accept_from: str) -> MessageSettings:
    if accept_from not in MessageSettings.AcceptFrom.values:
        raise ValidationError(_("Choose who may write to you."))
    found, _created = MessageSettings.objects.update_or_create(
        member=member, defaults={"accept_from": accept_from}
    )
    return found
