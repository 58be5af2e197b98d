"""Moderation writes and the gate every posting service goes through.

Contract used by other apps (keep these signatures):
- ``check_can_post(member)``: raises ``PermissionDenied`` with a translated reason when the
  member may not post now (silenced, banned, rules to re-accept…).
- ``content_screen(author=, text=, kind=) -> Screening``: spam/new-member checks before
  publishing; ``screening.hold`` says the item must be held for approval.
- ``content_held(target=, author=, reasons=)``: put a held item into the approval queue.
- ``queue_item_add(queue=, target=, member=, reason=, priority=0)``: add to any queue.
- ``rules_accept_on_signup(member=)``: record acceptance of the current rules at sign-up.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import QueueItem


@dataclass
class Screening:
    hold: bool = False
    reasons: list[str] = field(default_factory=list)


def check_can_post(member) -> None:
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to post."))
    if member.is_banned:
        raise PermissionDenied(_("Your account is banned."))
    if member.is_silenced:
        raise PermissionDenied(_("You are silenced and cannot post until %(until)s.") % {
            "until": member.silenced_until.strftime("%Y-%m-%d %H:%M UTC")
        })


def content_screen(*, author, text: str, kind: str) -> Screening:
    return Screening()


def queue_item_add(*, queue: str, target, member=None, reason: str = "", priority: int = 0):
    """Add ``target`` to ``queue`` unless it is already open there; returns the open item."""
    target_type = ContentType.objects.get_for_model(target)
    try:
        with transaction.atomic():
            return QueueItem.objects.create(
                queue=queue, target_type=target_type, target_id=target.pk, member=member,
                reason=reason, priority=priority,
            )
    except IntegrityError:
        return QueueItem.objects.get(
            queue=queue, target_type=target_type, target_id=target.pk, resolved_at__isnull=True
        )


def content_held(*, target, author, reasons: list[str]) -> QueueItem:
    return queue_item_add(
        queue="approval", target=target, member=author, reason="; ".join(reasons)
    )


def rules_accept_on_signup(*, member) -> None:
    return None


def audit_log_write(*, actor, action: str, target=None, member=None, rule=None,
                    reason: str = "", data: dict | None = None):
    """Append one row to the moderation audit log, in the caller's transaction. Every
    moderating service (in any app) calls this. Filled in by the moderation app."""
    return None
