"""Ambassador program writes.

Contract used by other apps (keep these signatures):
- ``referral_attribute_signup(request=, member=)``: called right after a sign-up.
- ``referral_on_contribution(member=)``: called (inside the transaction) whenever a member's
  contribution (question, answer, comment, idea) becomes published.
- ``referral_clawback_for(member=, actor=None, reason="")``: the moderation app calls it when it
  bans or suspends a member; a referral of that member made within the qualification window
  stops counting. The hourly sweep also claws back from ``banned_at``/``suspended_until``.

Every state change of a referral is a conditional UPDATE on its status, so repeated or
concurrent jobs and requests change it (and notify) at most once.
"""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member

from . import fraud
from .cookies import attribution_read
from .models import (
    AmbassadorApplication,
    Invitation,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferrerStats,
)
from .permissions import (
    check_can_apply_ambassador,
    check_can_invite,
    check_can_manage_ambassadors,
    check_can_review_referrals,
)

SUSPICIOUS_QUEUE = "suspicious_referrals"
APPLICATIONS_QUEUE = "ambassador_applications"


def _qualify_period() -> timedelta:
    return timedelta(days=settings.VECHE_REFERRAL_QUALIFY_DAYS)


def tier_thresholds() -> tuple[int, int]:
    tiers = settings.VECHE_REFERRAL_TIERS
    return int(tiers["advocate"]), int(tiers["ambassador"])


def tier_level(qualified: int) -> int:
    """0: none, 1: advocate, 2: eligible to become an ambassador."""
    advocate, ambassador = tier_thresholds()
    return 2 if qualified >= ambassador else 1 if qualified >= advocate else 0


def _audit(**kwargs) -> None:
    from moderation.services import audit_log_write

    audit_log_write(**kwargs)


def _notify(recipient: Member, kind: str, params: dict | None = None, target=None) -> None:
    from members.services import notification_send

    notification_send(
        recipients=[recipient],
        kind=kind,
        params=params or {},
        url=reverse("ambassadors:program"),
        target=target,
    )


# --- codes and clicks ------------------------------------------------------------------


def _new_code() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, 72 random bits


def referral_code_ensure(*, member: Member) -> ReferralCode:
    try:
        return ReferralCode.objects.get(member=member)
    except ReferralCode.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return ReferralCode.objects.create(member=member, code=_new_code())
    except IntegrityError:
        return ReferralCode.objects.get(member=member)


def referral_code_regenerate(*, member: Member) -> ReferralCode:
    """Give the member a new code; links with the old one stop working."""
    check_can_invite(member)
    with transaction.atomic():
        code = referral_code_ensure(member=member)
        code.code = _new_code()
        code.created_at = timezone.now()
        code.save(update_fields=["code", "created_at"])
    return code


def _stats_bump(member_id: int, **deltas: int) -> None:
    updates = {field: F(field) + delta for field, delta in deltas.items()}
    if ReferrerStats.objects.filter(member_id=member_id).update(**updates):
        return
    try:
        with transaction.atomic():
            ReferrerStats.objects.create(
                member_id=member_id, **{k: max(v, 0) for k, v in deltas.items()}
            )
    except IntegrityError:
        ReferrerStats.objects.filter(member_id=member_id).update(**updates)


def referral_click_record(*, request: HttpRequest, referrer: Member) -> bool:
    """Count a visit of ``referrer``'s link, once per visitor per day. Returns whether it
    counted. Signed-in members (including the referrer) are not counted."""
    if request.user.is_authenticated:
        return False
    visitor = fraud.visitor_hash(request)
    try:
        with transaction.atomic():
            ReferralClick.objects.create(
                referrer=referrer, visitor=visitor, day=timezone.localdate()
            )
            _stats_bump(referrer.pk, clicks=1)
    except IntegrityError:
        return False
    return True


# --- attribution -----------------------------------------------------------------------


def referral_attribute_signup(*, request, member) -> Referral | None:
    """Credit a fresh sign-up to the referrer remembered in the attribution cookie.

    No referral for self-referrals (same account or a look-alike of the referrer's e-mail) or
    when the cookie is missing, forged or older than ``VECHE_REFERRAL_WINDOW_DAYS``. A sign-up
    whose e-mail looks like another account's, or that is part of a burst from one address,
    is recorded as *suspicious* and queued for staff instead of counting.
    """
    attribution = attribution_read(request)
    now = timezone.now()
    if attribution is None or not attribution.within_window(now):
        return None
    referrer = Member.objects.filter(
        pk=attribution.referrer_id, is_active=True, banned_at__isnull=True
    ).first()
    if referrer is None or referrer.pk == member.pk:
        return None
    if fraud.emails_look_alike(referrer.email, member.email):
        return None
    ip = fraud.ip_hash(request)
    reasons = []
    if fraud.email_used_by_another_account(member=member, email=member.email):
        reasons.append(_("The e-mail address looks like another account's."))
    burst_since = now - timedelta(minutes=settings.VECHE_REFERRAL_BURST_MINUTES)
    same_address = Referral.objects.filter(signup_ip_hash=ip, created_at__gte=burst_since)
    burst = same_address.count() >= settings.VECHE_REFERRAL_BURST_LIMIT
    if burst:
        reasons.append(_("Many sign-ups from one address in a short time."))
    with transaction.atomic():
        invitation = None
        if attribution.invitation_id:
            accepted = Invitation.objects.filter(
                pk=attribution.invitation_id,
                inviter=referrer,
                status=Invitation.Status.SENT,
                expires_at__gt=now,
            ).update(status=Invitation.Status.ACCEPTED, accepted_by=member, accepted_at=now)
            invitation = attribution.invitation_id if accepted else None
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    referrer=referrer,
                    referred=member,
                    invitation_id=invitation,
                    created_at=now,
                    signup_ip_hash=ip,
                    status=Referral.Status.SUSPICIOUS if reasons else Referral.Status.PENDING,
                    reason=" ".join(str(r) for r in reasons)[:200],
                )
        except IntegrityError:
            return None  # already credited
        _stats_bump(referrer.pk, signups=1)
        if reasons:
            _queue_suspicious(referral)
        if burst:
            # The earlier sign-ups of the burst are no more trustworthy than this one.
            for earlier in same_address.filter(status=Referral.Status.PENDING).exclude(
                pk=referral.pk
            ):
                if Referral.objects.filter(pk=earlier.pk, status=Referral.Status.PENDING).update(
                    status=Referral.Status.SUSPICIOUS, reason=referral.reason
                ):
                    _queue_suspicious(earlier)
    return referral


def _queue_suspicious(referral: Referral) -> None:
    from moderation.services import queue_item_add

    queue_item_add(
        queue=SUSPICIOUS_QUEUE,
        target=referral,
        member=referral.referrer,
        reason=referral.reason,
    )


def referral_review_decide(
    *, actor: Member, referral: Referral, approve: bool, message: str = ""
) -> bool:
    """Staff decide a suspicious referral: approved ones count like any other (and qualify at
    once when the conditions are already met), rejected ones never count."""
    check_can_review_referrals(actor)
    with transaction.atomic():
        if approve:
            changed = Referral.objects.filter(
                pk=referral.pk, status=Referral.Status.SUSPICIOUS
            ).update(status=Referral.Status.PENDING, reviewed_at=timezone.now())
        else:
            changed = Referral.objects.filter(
                pk=referral.pk, status=Referral.Status.SUSPICIOUS
            ).update(status=Referral.Status.REJECTED)
            if changed:
                _stats_bump(referral.referrer_id, signups=-1)
        if not changed:
            return False
        _audit(
            actor=actor,
            action="referral_approve" if approve else "referral_reject",
            target=referral,
            member=referral.referrer,
            reason=message,
        )
        if approve:
            referral.refresh_from_db()
            referral_qualify(referral=referral)
    return True


# --- qualification ---------------------------------------------------------------------


def referral_on_contribution(*, member) -> None:
    """Record the referred member's first published contribution and try to qualify.

    One query for members who were not referred (or whose referral is settled)."""
    referral = (
        Referral.objects.filter(
            referred_id=member.pk,
            status__in=[Referral.Status.PENDING, Referral.Status.SUSPICIOUS],
        )
        .select_related("referred", "referrer")
        .first()
    )
    if referral is None:
        return
    now = timezone.now()
    if referral.first_contribution_at is None:
        Referral.objects.filter(pk=referral.pk, first_contribution_at__isnull=True).update(
            first_contribution_at=now
        )
        referral.first_contribution_at = now
    if referral.status == Referral.Status.PENDING:
        referral_qualify(referral=referral, now=now)


def _has_verified_email(member: Member) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=member, verified=True).exists()


def referral_qualify(*, referral: Referral, now: datetime | None = None) -> bool:
    """Qualify a pending referral whose member verified their e-mail and contributed within
    ``VECHE_REFERRAL_QUALIFY_DAYS`` of signing up. Exactly once: the status moves with a
    conditional UPDATE, and only the caller that moved it counts and notifies."""
    now = now or timezone.now()
    if referral.status != Referral.Status.PENDING or referral.first_contribution_at is None:
        return False
    if referral.first_contribution_at > referral.created_at + _qualify_period():
        return False
    referred = referral.referred
    if referred.is_banned or referred.is_suspended:
        referral_clawback(referral=referral, reason=_("The member was sanctioned."))
        return False
    if not _has_verified_email(referred):
        return False
    if referral.reviewed_at is None and fraud.email_used_by_another_account(
        member=referred, email=referred.email
    ):
        with transaction.atomic():
            if Referral.objects.filter(pk=referral.pk, status=Referral.Status.PENDING).update(
                status=Referral.Status.SUSPICIOUS,
                reason=_("The e-mail address looks like another account's."),
            ):
                referral.refresh_from_db()
                _queue_suspicious(referral)
        return False
    with transaction.atomic():
        moved = Referral.objects.filter(pk=referral.pk, status=Referral.Status.PENDING).update(
            status=Referral.Status.QUALIFIED, qualified_at=now
        )
        if not moved:
            return False
        referral.status, referral.qualified_at = Referral.Status.QUALIFIED, now
        _stats_bump(referral.referrer_id, qualified=1)
        referrer = Member.objects.get(pk=referral.referrer_id)
        _notify(referrer, "referral_qualified", {"name": referred.name}, target=referral)
        _tiers_apply(referrer)
    return True


def _tiers_apply(referrer: Member) -> None:
    """Give the Advocate badge and announce a newly reached tier (each tier once)."""
    stats = ReferrerStats.objects.get(member_id=referrer.pk)
    level = tier_level(stats.qualified)
    if level >= 1 and Member.objects.filter(pk=referrer.pk, badge="").update(
        badge=Member.Badge.ADVOCATE
    ):
        referrer.badge = Member.Badge.ADVOCATE
    if level > stats.tier_notified and ReferrerStats.objects.filter(
        member_id=referrer.pk, tier_notified__lt=level
    ).update(tier_notified=level):
        kind = "referral_tier_ambassador" if level == 2 else "referral_tier_advocate"
        _notify(referrer, kind, {"count": stats.qualified})


def _badge_recheck(referrer_id: int) -> None:
    stats = ReferrerStats.objects.filter(member_id=referrer_id).first()
    if stats is not None and tier_level(stats.qualified) == 0:
        Member.objects.filter(pk=referrer_id, badge=Member.Badge.ADVOCATE).update(badge="")


def referral_clawback(*, referral: Referral, actor: Member | None = None, reason: str = "") -> bool:
    """Stop counting a referral (its member was banned or suspended as a spammer)."""
    with transaction.atomic():
        was_qualified = Referral.objects.filter(
            pk=referral.pk, status=Referral.Status.QUALIFIED
        ).update(status=Referral.Status.CLAWED_BACK, reason=reason[:200])
        if was_qualified:
            _stats_bump(referral.referrer_id, qualified=-1)
            _badge_recheck(referral.referrer_id)
        elif not Referral.objects.filter(
            pk=referral.pk,
            status__in=[Referral.Status.PENDING, Referral.Status.SUSPICIOUS],
        ).update(status=Referral.Status.CLAWED_BACK, reason=reason[:200]):
            return False
        referral.status = Referral.Status.CLAWED_BACK
        _audit(
            actor=actor,
            action="referral_clawback",
            target=referral,
            member=referral.referrer,
            reason=reason,
        )
    return True


def referral_clawback_for(*, member, actor: Member | None = None, reason: str = "") -> int:
    """Claw back the referral of ``member`` when it is still within the qualification window.
    For the moderation app's ban and suspension services."""
    since = timezone.now() - _qualify_period()
    referrals = Referral.objects.filter(referred_id=member.pk, created_at__gte=since).exclude(
        status__in=[Referral.Status.REJECTED, Referral.Status.CLAWED_BACK]
    )
    return sum(
        referral_clawback(referral=r, actor=actor, reason=reason or _("The member was sanctioned."))
        for r in referrals.select_related("referrer")
    )


def referral_qualify_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The hourly job: claw back referrals of members sanctioned within the window, then
    qualify pending referrals whose conditions are met. Safe to run twice or concurrently."""
    now = now or timezone.now()
    period = _qualify_period()
    sanctioned = (
        Referral.objects.filter(
            status__in=[
                Referral.Status.PENDING,
                Referral.Status.QUALIFIED,
                Referral.Status.SUSPICIOUS,
            ]
        )
        .filter(
            Q(referred__banned_at__isnull=False, referred__banned_at__lte=F("created_at") + period)
            | Q(referred__suspended_until__gt=now, created_at__gte=now - period)
        )
        .select_related("referrer")
    )
    clawed = sum(
        referral_clawback(referral=r, reason=_("The member was sanctioned.")) for r in sanctioned
    )
    due = (
        Referral.objects.filter(
            status=Referral.Status.PENDING,
            first_contribution_at__isnull=False,
            first_contribution_at__lte=F("created_at") + period,
        )
        .select_related("referred", "referrer")
        .order_by("id")
    )
    qualified = sum(referral_qualify(referral=r, now=now) for r in due.iterator())
    return {"clawed_back": clawed, "qualified": qualified}


# --- ambassadors -----------------------------------------------------------------------


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
            from moderation.services import queue_item_add

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


# --- invitations -----------------------------------------------------------------------


def invitation_send(*, inviter: Member, email: str, note: str = "") -> Invitation:
    """Invite someone by e-mail. Raises ``ValidationError`` (nothing stored or sent) over the
    daily limit, for a member's address, or for a still-valid invitation to the same person."""
    from members.services import email_build, email_enqueue

    check_can_invite(inviter)
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        # Serialize one member's invitations so two requests cannot both pass the limit.
        Member.objects.select_for_update().filter(pk=inviter.pk).first()
        sent_today = Invitation.objects.filter(
            inviter=inviter, created_at__gt=now - timedelta(days=1)
        ).count()
        limit = settings.VECHE_INVITATIONS_PER_DAY
        if sent_today >= limit:
            raise ValidationError(
                _("You can send at most %(limit)d invitations a day. Please try again tomorrow.")
                % {"limit": limit},
                code="limit",
            )
        if Member.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("This person is already a member."), code="member")
        if Invitation.objects.filter(
            inviter=inviter,
            email__iexact=email,
            status=Invitation.Status.SENT,
            expires_at__gt=now,
        ).exists():
            raise ValidationError(_("You have already invited this person."), code="duplicate")
        invitation = Invitation.objects.create(
            inviter=inviter,
            email=email,
            note=note.strip(),
            token=secrets.token_urlsafe(24),
            created_at=now,
            expires_at=now + timedelta(days=settings.VECHE_INVITATION_DAYS),
        )
        message = email_build(
            member=inviter,
            kind="invitation",
            subject=_("%(name)s invites you to join the community") % {"name": inviter.name},
            template="email/ambassadors/invitation.txt",
            context={
                "inviter": inviter,
                "invitation": invitation,
                "link": settings.SITE_URL
                + reverse("ambassadors:invitation", kwargs={"token": invitation.token}),
            },
        )
        # The addressee is not a member: no recipient row and no unsubscribe link (which
        # would unsubscribe the inviter).
        message.recipient, message.to, message.headers = None, invitation.email, {}
        email_enqueue([message])
    return invitation


# --- counters --------------------------------------------------------------------------


def referrer_stats_synchronize(*, member: Member | None = None) -> int:
    """Recompute clicks, sign-ups and qualified counts from the source rows."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    referrer_ids = set(Referral.objects.values_list("referrer_id", flat=True).distinct())
    referrer_ids |= set(ReferralClick.objects.values_list("referrer_id", flat=True).distinct())
    if member is not None:
        referrer_ids = {member.pk}
    ReferrerStats.objects.bulk_create(
        [ReferrerStats(member_id=pk) for pk in referrer_ids], ignore_conflicts=True
    )

    def count_of(model, **filters):
        return Coalesce(
            Subquery(
                model.objects.filter(referrer=OuterRef("member_id"), **filters)
                .order_by()
                .values("referrer")
                .annotate(c=Count("id"))
                .values("c")
            ),
            0,
        )

    rows = ReferrerStats.objects.all()
    if member is not None:
        rows = rows.filter(member_id=member.pk)
    return rows.update(
        clicks=count_of(ReferralClick),
        signups=Coalesce(
            Subquery(
                Referral.objects.filter(referrer=OuterRef("member_id"))
                .exclude(status=Referral.Status.REJECTED)
                .order_by()
                .values("referrer")
                .annotate(c=Count("id"))
                .values("c")
            ),
            0,
        ),
        qualified=count_of(Referral, status=Referral.Status.QUALIFIED),
    )


# --- the program's moderation queues ---------------------------------------------------


def suspicious_referral_approve(item, moderator, message: str = "") -> None:
    referral_review_decide(actor=moderator, referral=item.target, approve=True, message=message)


def suspicious_referral_reject(item, moderator, message: str = "") -> None:
    referral_review_decide(actor=moderator, referral=item.target, approve=False, message=message)


def ambassador_application_approve(item, moderator, message: str = "") -> None:
    ambassador_application_decide(
        actor=moderator, application=item.target, approve=True, message=message
    )


def ambassador_application_reject(item, moderator, message: str = "") -> None:
    ambassador_application_decide(
        actor=moderator, application=item.target, approve=False, message=message
    )


def program_queue_item_decide(*, actor: Member, item, approve: bool, message: str = "") -> bool:
    """Decide an item of the program's queues from the program's staff page (the moderation
    inbox calls the registered callbacks itself and resolves its item)."""
    from moderation.models import QueueItem
    from moderation.registry import QUEUES

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
        # The program's queues register both callbacks (ambassadors/apps.py).
        callback = cast(Callable[..., None], queue.on_approve if approve else queue.on_reject)
        callback(item, actor, message)
    return True
