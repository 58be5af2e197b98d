"""Ambassadors: applications, their decision (also from the moderation inbox), revocation and
the monthly review."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from moderation.models import QueueItem
from moderation.registry import QUEUES
from moderation.services import queue_item_add

from ..models import APPLICATIONS_QUEUE, AmbassadorApplication, Referral, ReferrerStats
from ..permissions import check_can_apply_ambassador, check_can_manage_ambassadors
from ..tiers import tier_level
from .common import _audit, _notify
from .perks import perks_grant_for_badge
from .referrals import referral_review_decide
from .stats import _stats_bump


def ambassador_application_submit(*, member: Member, motivation: str) -> AmbassadorApplication:
    check_can_apply_ambassador(member)
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = AmbassadorApplication.objects.create(
                    member=member, motivation=motivation.strip()
                )
        except IntegrityError:
            raise PermissionDenied(_("Your application is already waiting for review.")) from None
        if settings.VECHE_AMBASSADOR_AUTO_APPROVE:
            ambassador_application_decide(actor=None, application=application, approve=True)
        else:
            queue_item_add(
                queue=APPLICATIONS_QUEUE,
                target=application,
                member=member,
                reason=application.motivation[:500],
            )
    return application


def ambassador_application_decide(
    *,
    actor: Member | None,
    application: AmbassadorApplication,
    approve: bool,
    message: str = "",
) -> bool:
    """Approve (badge, ambassador-only category, perks) or reject an application. ``actor``
    None means the automatic approval allowed by ``VECHE_AMBASSADOR_AUTO_APPROVE``."""
    if actor is not None or not settings.VECHE_AMBASSADOR_AUTO_APPROVE:
        check_can_manage_ambassadors(actor)
    now = timezone.now()
    status = (
        AmbassadorApplication.Status.APPROVED
        if approve
        else (AmbassadorApplication.Status.REJECTED)
    )
    with transaction.atomic():
        if not AmbassadorApplication.objects.filter(
            pk=application.pk, status=AmbassadorApplication.Status.PENDING
        ).update(status=status, decided_at=now, decided_by=actor, message=message):
            return False
        application.status = status
        member = Member.objects.get(pk=application.member_id)
        if approve:
            Member.objects.filter(pk=member.pk).update(badge=Member.Badge.AMBASSADOR)
            member.badge = Member.Badge.AMBASSADOR
            _stats_bump(member.pk, clicks=0)  # make sure the row exists
            ReferrerStats.objects.filter(member_id=member.pk).update(
                ambassador_since=now, warned_at=None
            )
            perks_grant_for_badge(member=member)
        _audit(
            actor=actor,
            action="ambassador_approve" if approve else "ambassador_reject",
            target=application,
            member=member,
            reason=message,
        )
        _notify(
            member,
            "ambassador_approved" if approve else "ambassador_rejected",
            {"message": message},
            target=application,
        )
    return True


def _ambassador_drop(member: Member) -> None:
    stats = ReferrerStats.objects.filter(member_id=member.pk).first()
    badge = Member.Badge.ADVOCATE if stats and tier_level(stats.qualified) >= 1 else ""
    Member.objects.filter(pk=member.pk, badge=Member.Badge.AMBASSADOR).update(badge=badge)
    member.badge = badge
    ReferrerStats.objects.filter(member_id=member.pk).update(ambassador_since=None, warned_at=None)


def ambassador_revoke(*, actor: Member, member: Member, reason: str = "") -> bool:
    check_can_manage_ambassadors(actor)
    if member.badge != Member.Badge.AMBASSADOR:
        return False
    with transaction.atomic():
        _ambassador_drop(member)
        _audit(actor=actor, action="ambassador_revoke", member=member, target=member, reason=reason)
        _notify(member, "ambassador_lost", {"message": reason})
    return True


def ambassador_review_monthly(*, now: datetime | None = None) -> dict[str, int]:
    """Monthly review with hysteresis: an ambassador with fewer than
    ``VECHE_AMBASSADOR_MAINTENANCE`` qualified referrals in the last period is warned; one who
    is still below after a whole further period loses the status. Ambassadors approved less
    than a period ago are not reviewed yet. Safe to run twice in a month."""
    now = now or timezone.now()
    period = timedelta(days=settings.VECHE_AMBASSADOR_REVIEW_DAYS)
    # Monthly schedules drift (28–31 days): a warning given "about a period ago" counts.
    grace = timedelta(days=3)
    counts = {"warned": 0, "revoked": 0, "recovered": 0}
    ambassadors = (
        ReferrerStats.objects.filter(
            member__badge=Member.Badge.AMBASSADOR, ambassador_since__lte=now - period + grace
        )
        .select_related("member")
        .order_by("member_id")
    )
    for stats in ambassadors:
        recent = Referral.objects.filter(
            referrer_id=stats.member_id,
            status=Referral.Status.QUALIFIED,
            qualified_at__gt=now - period,
        ).count()
        member = stats.member
        with transaction.atomic():
            if recent >= settings.VECHE_AMBASSADOR_MAINTENANCE:
                if ReferrerStats.objects.filter(
                    member_id=member.pk, warned_at__isnull=False
                ).update(warned_at=None):
                    counts["recovered"] += 1
            elif stats.warned_at is None:
                if ReferrerStats.objects.filter(member_id=member.pk, warned_at__isnull=True).update(
                    warned_at=now
                ):
                    _audit(
                        actor=None,
                        action="ambassador_warn",
                        member=member,
                        target=member,
                        data={"recent": recent},
                    )
                    _notify(
                        member,
                        "ambassador_warning",
                        {"count": settings.VECHE_AMBASSADOR_MAINTENANCE},
                    )
                    counts["warned"] += 1
            elif stats.warned_at <= now - period + grace:
                _ambassador_drop(member)
                _audit(
                    actor=None,
                    action="ambassador_revoke",
                    member=member,
                    target=member,
                    reason=_("Below the maintenance threshold for a whole review period."),
                    data={"recent": recent},
                )
                _notify(
                    member,
                    "ambassador_lost",
                    {"message": _("Below the maintenance threshold for a whole review period.")},
                )
                counts["revoked"] += 1
    return counts


# --- the program's moderation queues ---------------------------------------------------


# The item's target is gone when the referral or the application was deleted with its member:
# there is nothing left to decide, and the inbox resolves the item all the same.


def suspicious_referral_approve(item: QueueItem, moderator: Member, message: str = "") -> None:
    if isinstance(referral := item.target, Referral):
        referral_review_decide(actor=moderator, referral=referral, approve=True, message=message)


def suspicious_referral_reject(item: QueueItem, moderator: Member, message: str = "") -> None:
    if isinstance(referral := item.target, Referral):
        referral_review_decide(actor=moderator, referral=referral, approve=False, message=message)


def ambassador_application_approve(item: QueueItem, moderator: Member, message: str = "") -> None:
    if isinstance(application := item.target, AmbassadorApplication):
        ambassador_application_decide(
            actor=moderator, application=application, approve=True, message=message
        )


def ambassador_application_reject(item: QueueItem, moderator: Member, message: str = "") -> None:
    if isinstance(application := item.target, AmbassadorApplication):
        ambassador_application_decide(
            actor=moderator, application=application, approve=False, message=message
        )


def program_queue_item_decide(
    *, actor: Member, item: QueueItem, approve: bool, message: str = ""
) -> bool:
    """Decide an item of the program's queues from the program's staff page (the moderation
    inbox calls the registered callbacks itself and resolves its item)."""
    queue = QUEUES[item.queue]
    check_can_manage_ambassadors(actor)
    with transaction.atomic():
        resolved = QueueItem.objects.filter(pk=item.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(),
            resolved_by=actor,
            resolution=QueueItem.Resolution.APPROVED if approve else QueueItem.Resolution.REJECTED,
        )
        if not resolved:
            return False
        callback = queue.on_approve if approve else queue.on_reject
        if callback is None:  # the program registers both for its queues (ambassadors/receivers.py)
            raise ImproperlyConfigured(f"The queue {item.queue!r} has no callback to decide it.")
        callback(item, actor, message)
    return True
