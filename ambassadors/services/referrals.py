"""Referrals: codes and clicks, attribution of sign-ups, qualification and clawback.

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
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from moderation.services import queue_item_add

from .. import fraud
from ..cookies import attribution_read
from ..hooks import referral_qualified
from ..models import (
    SUSPICIOUS_QUEUE,
    Invitation,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferrerStats,
)
from ..permissions import check_can_invite, check_can_review_referrals
from ..tiers import tier_level
from .common import _audit, _notify, _qualify_period
from .perks import perks_grant_for_badge
from .stats import _stats_bump

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


def referral_attribute_signup(*, request: HttpRequest, member: Member) -> Referral | None:
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


def referral_on_contribution(*, member: Member) -> None:
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
        referral_qualified.send(sender=Referral, referral=referral)
    return True


def _tiers_apply(referrer: Member) -> None:
    """Give the Advocate badge and announce a newly reached tier (each tier once)."""
    stats = ReferrerStats.objects.get(member_id=referrer.pk)
    level = tier_level(stats.qualified)
    if level >= 1 and Member.objects.filter(pk=referrer.pk, badge="").update(
        badge=Member.Badge.ADVOCATE
    ):
        referrer.badge = Member.Badge.ADVOCATE
        perks_grant_for_badge(member=referrer)
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


def referral_clawback_for(*, member: Member, actor: Member | None = None, reason: str = "") -> int:
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
