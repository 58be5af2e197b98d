"""The moderation inbox: adding, claiming and deciding queue items, and direct hide/restore."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.services import notification_send

from ..content import ModerationState
from ..hooks import queue_item_overdue
from ..models import Appeal, AuditLogEntry, QueueItem, Rule
from ..notifications import appeal_url
from ..permissions import check_can_appeal, check_can_moderate
from ..registry import QUEUES, queue_target_age
from .audit import audit_log_write
from .content import (
    content_author,
    content_label,
    content_set_state,
    content_title,
    content_url,
    flags_resolve,
    open_items_resolve,
)
from .sanctions import decision_reverse
from .screening import REASONS_JOINED_BY

APPROVAL_QUEUE = "approval"
FLAGGED_QUEUE = "flagged"
APPEALS_QUEUE = "appeals"
CONTENT_QUEUES = (APPROVAL_QUEUE, FLAGGED_QUEUE)
CLAIM_TTL = timedelta(hours=1)
NEW_MEMBER_PRIORITY = 10
APPEALABLE = {"reject", "hide", "auto_hide", "flags_uphold", "warn", "silence", "suspend", "ban"}


def queue_item_add(
    *, queue: str, target, member=None, reason: str = "", priority: int = 0, member_id=None
) -> QueueItem:
    """Add ``target`` to ``queue`` unless it is already open there; returns the open item."""
    target_type = ContentType.objects.get_for_model(target)
    if member is not None:
        member_id = member.pk
    try:
        with transaction.atomic():
            return QueueItem.objects.create(
                queue=queue,
                target_type=target_type,
                target_id=target.pk,
                member_id=member_id,
                reason=reason,
                priority=priority,
            )
    except IntegrityError:
        return QueueItem.objects.get(
            queue=queue, target_type=target_type, target_id=target.pk, resolved_at__isnull=True
        )


def queue_items_overdue_sweep(*, now: datetime | None = None) -> int:
    """Mark the open items that waited past their queue's target age, each once, and announce
    each (``queue_item_overdue``) in the same transaction. Returns how many were marked."""
    now = now or timezone.now()
    marked = 0
    for queue in QUEUES.values():
        with transaction.atomic():
            ids = list(
                QueueItem.objects.filter(
                    queue=queue.key,
                    resolved_at__isnull=True,
                    overdue_at__isnull=True,
                    created_at__lt=now - queue_target_age(queue),
                )
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:500]
            )
            QueueItem.objects.filter(pk__in=ids, overdue_at__isnull=True).update(overdue_at=now)
            for item in QueueItem.objects.filter(pk__in=ids, overdue_at=now).order_by("id"):
                queue_item_overdue.send(sender=QueueItem, item=item)
                marked += 1
    return marked


def content_held(*, target, author, reasons: list[str]) -> QueueItem:
    """Put a held post into the approval queue. New members' posts come first: a newcomer
    left waiting for days does not come back."""
    priority = NEW_MEMBER_PRIORITY if author.trust_level == author.TrustLevel.NEW else 0
    return queue_item_add(
        queue=APPROVAL_QUEUE,
        target=target,
        member=author,
        reason=REASONS_JOINED_BY.join(reasons),
        priority=priority,
    )


def _check_claim(item: QueueItem, actor) -> None:
    if (
        item.claimed_by_id
        and item.claimed_by_id != actor.pk
        and item.claimed_at
        and item.claimed_at > timezone.now() - CLAIM_TTL
    ):
        raise ValidationError(_("Another moderator has claimed this item."))


def queue_item_claim(*, actor, item: QueueItem) -> QueueItem:
    """Claim an open item so other moderators leave it alone (for ``CLAIM_TTL``)."""
    check_can_moderate(actor)
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            QueueItem.objects.filter(pk=item.pk, resolved_at__isnull=True)
            .filter(
                Q(claimed_by__isnull=True) | Q(claimed_by=actor) | Q(claimed_at__lt=now - CLAIM_TTL)
            )
            .update(claimed_by=actor, claimed_at=now)
        )
        if not claimed:
            raise ValidationError(_("This item is already claimed or handled."))
        item.claimed_by, item.claimed_at = actor, now
        audit_log_write(
            actor=actor,
            action="claim",
            target=item.target,
            member=item.member,
            data={"queue": item.queue, "item": item.pk},
        )
    return item


def _resolve(item: QueueItem, actor, resolution: str) -> None:
    done = QueueItem.objects.filter(pk=item.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )
    if not done:
        raise ValidationError(_("This item was already handled."))
    item.resolved_at, item.resolution = timezone.now(), resolution


def _notify(member, kind: str, target, *, actor, decision, rule=None, message: str = "") -> None:
    if member is None:
        return
    notification_send(
        recipients=[member],
        kind=kind,
        actor=actor,
        params={
            "what": content_label(target) if target is not None else "",
            "title": content_title(target) if target is not None else "",
            "rule": rule.citation if rule else "—",
            "message": message,
        },
        url=appeal_url(decision)
        if decision is not None
        else (content_url(target) if target is not None else ""),
        target=target,
    )


def _decide_by_owner(item, actor, target, *, approve: bool, rule=None, message="", data=None):
    """Hand a decision on another app's queue to its callback. When the callback's service
    wrote its own audit row, that row is the action's one row; otherwise we write it."""
    queue = QUEUES.get(item.queue)
    callback = (queue.on_approve if approve else queue.on_reject) if queue else None
    last_id = AuditLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if callback:
        callback(item, actor, message)
    if not AuditLogEntry.objects.filter(id__gt=last_id, actor=actor).exists():
        audit_log_write(
            actor=actor,
            action="approve" if approve else "reject",
            target=target,
            member=item.member,
            rule=rule,
            reason=message,
            data=data,
        )


def queue_item_approve(*, actor: Member, item: QueueItem, message: str = "") -> QueueItem:
    """Approve: publish a held post, keep a flagged one (flags dismissed), grant an appeal,
    or hand the decision to the queue's owner."""
    check_can_moderate(actor)
    with transaction.atomic():
        item = (
            QueueItem.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=item.pk)
        )
        _check_claim(item, actor)
        _resolve(item, actor, QueueItem.Resolution.APPROVED)
        target = item.target
        data = {"queue": item.queue, "item": item.pk}
        if item.queue == APPROVAL_QUEUE:
            if target is not None:
                content_set_state(target, ModerationState.PUBLISHED)
                open_items_resolve(
                    target, actor=actor, resolution="approved", queues=[FLAGGED_QUEUE]
                )
            audit_log_write(
                actor=actor,
                action="approve",
                target=target,
                member=item.member,
                reason=message,
                data=data,
            )
            _notify(item.member, "moderation_approved", target, actor=actor, decision=None)
        elif item.queue == FLAGGED_QUEUE:
            if target is not None:
                flags_resolve(target, outcome="dismissed")
                if getattr(target, "moderation_state", None) == ModerationState.HIDDEN:
                    content_set_state(target, ModerationState.PUBLISHED)
            audit_log_write(
                actor=actor,
                action="flags_dismiss",
                target=target,
                member=item.member,
                reason=message,
                data=data,
            )
        elif item.queue == APPEALS_QUEUE:
            # An appeal deleted since (in the admin) has nothing left to grant: the item is
            # only resolved.
            if isinstance(appeal := target, Appeal):
                decision_reverse(appeal.decision, actor=actor)
                Appeal.objects.filter(pk=appeal.pk).update(
                    outcome=Appeal.Outcome.GRANTED, resolved_at=timezone.now()
                )
                audit_log_write(
                    actor=actor,
                    action="appeal_grant",
                    target=appeal.decision.target,
                    member=item.member,
                    reason=message,
                    data={**data, "decision": appeal.decision_id},
                )
                _notify(
                    item.member,
                    "moderation_appeal_granted",
                    None,
                    actor=actor,
                    decision=None,
                    message=message,
                )
        else:
            _decide_by_owner(item, actor, target, approve=True, message=message, data=data)
    return item


def queue_item_reject(
    *, actor: Member, item: QueueItem, rule: Rule | None = None, message: str = ""
) -> QueueItem:
    """Reject: a held post stays invisible, a flagged post is hidden (flags upheld), an appeal
    is denied; the author is told which rule."""
    check_can_moderate(actor)
    if item.queue in CONTENT_QUEUES and rule is None:
        raise ValidationError(_("Choose the rule the post breaks."))
    with transaction.atomic():
        item = (
            QueueItem.objects.select_for_update(of=("self",))
            .select_related("member")
            .get(pk=item.pk)
        )
        _check_claim(item, actor)
        _resolve(item, actor, QueueItem.Resolution.REJECTED)
        target = item.target
        data = {"queue": item.queue, "item": item.pk}
        if item.queue == APPROVAL_QUEUE:
            if target is not None:
                content_set_state(target, ModerationState.REJECTED)
                open_items_resolve(target, actor=actor, resolution="rejected")
            decision = audit_log_write(
                actor=actor,
                action="reject",
                target=target,
                member=item.member,
                rule=rule,
                reason=message,
                data=data,
            )
            _notify(
                item.member,
                "moderation_rejected",
                target,
                actor=actor,
                decision=decision,
                rule=rule,
                message=message,
            )
        elif item.queue == FLAGGED_QUEUE:
            hideable = target is not None and hasattr(target, "moderation_state")
            if target is not None:
                flags_resolve(target, outcome="upheld")
            if hideable:
                content_set_state(target, ModerationState.HIDDEN)
            # A profile cannot be hidden: upholding the flags warns its owner.
            decision = audit_log_write(
                actor=actor,
                action="hide" if hideable else "flags_uphold",
                target=target,
                member=item.member,
                rule=rule,
                reason=message,
                data=data,
            )
            _notify(
                item.member,
                "moderation_hidden" if hideable else "moderation_warned",
                target,
                actor=actor,
                decision=decision,
                rule=rule,
                message=message,
            )
        elif item.queue == APPEALS_QUEUE:
            # As in queue_item_approve: a deleted appeal has nothing left to deny.
            if isinstance(appeal := target, Appeal):
                Appeal.objects.filter(pk=appeal.pk).update(
                    outcome=Appeal.Outcome.DENIED, resolved_at=timezone.now()
                )
                audit_log_write(
                    actor=actor,
                    action="appeal_deny",
                    target=appeal.decision.target,
                    member=item.member,
                    rule=rule,
                    reason=message,
                    data={**data, "decision": appeal.decision_id},
                )
                _notify(
                    item.member,
                    "moderation_appeal_denied",
                    None,
                    actor=actor,
                    decision=None,
                    message=message,
                )
        else:
            _decide_by_owner(
                item, actor, target, approve=False, rule=rule, message=message, data=data
            )
    return item


def queue_items_bulk(
    *,
    actor: Member,
    items: list[QueueItem],
    approve: bool,
    rule: Rule | None = None,
    message: str = "",
) -> tuple[int, int]:
    """Approve or reject many items; items claimed by others or already handled are skipped.
    Returns ``(done, skipped)``; each decided item writes its own audit row. Rejecting
    posts needs the rule they break (other queues' items need none)."""
    check_can_moderate(actor)
    if not approve and rule is None and any(item.queue in CONTENT_QUEUES for item in items):
        raise ValidationError(_("Choose the rule the posts break."))
    done = skipped = 0
    for item in items:
        try:
            if approve:
                queue_item_approve(actor=actor, item=item, message=message)
            else:
                queue_item_reject(actor=actor, item=item, rule=rule, message=message)
            done += 1
        except ValidationError:
            skipped += 1
    return done, skipped


def content_hide(*, actor: Member, target: Any, rule: Rule, reason: str = "") -> AuditLogEntry:
    """Hide a post directly (not from a queue); its open queue items are closed."""
    check_can_moderate(actor)
    if not hasattr(target, "moderation_state"):
        raise ValidationError(_("This cannot be hidden."))
    with transaction.atomic():
        content_set_state(target, ModerationState.HIDDEN)
        open_items_resolve(target, actor=actor, resolution="rejected")
        flags_resolve(target, outcome="upheld")
        author = content_author(target)
        decision = audit_log_write(
            actor=actor, action="hide", target=target, member=author, rule=rule, reason=reason
        )
        _notify(
            author,
            "moderation_hidden",
            target,
            actor=actor,
            decision=decision,
            rule=rule,
            message=reason,
        )
    return decision


def content_restore(*, actor: Member, target: Any, reason: str = "") -> AuditLogEntry:
    """Make a hidden, held or rejected post visible again."""
    check_can_moderate(actor)
    if not hasattr(target, "moderation_state"):
        raise ValidationError(_("This cannot be restored."))
    with transaction.atomic():
        content_set_state(target, ModerationState.PUBLISHED)
        open_items_resolve(target, actor=actor, resolution="approved")
        flags_resolve(target, outcome="dismissed")
        author = content_author(target)
        decision = audit_log_write(
            actor=actor, action="restore", target=target, member=author, reason=reason
        )
        _notify(author, "moderation_restored", target, actor=actor, decision=None)
    return decision


def appeal_create(*, member, decision: AuditLogEntry, text: str) -> Appeal:
    """Appeal a decision once; the appeal enters the "appeals" queue."""
    check_can_appeal(member, decision)
    if decision.action not in APPEALABLE:
        raise ValidationError(_("This decision cannot be appealed."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(member=member, decision=decision, text=text)
        except IntegrityError:
            raise ValidationError(_("You have already appealed this decision.")) from None
        queue_item_add(queue=APPEALS_QUEUE, target=appeal, member=member, reason=text[:500])
    return appeal
