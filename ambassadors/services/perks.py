"""Perks that exist: granted by tier (when a member reaches it) or by hand by staff, each grant
taking one code of the perk's pool when the perk hands out codes; revocable, and recorded.

A code is handed out once. Two grants racing for the last codes each claim a different one:
on PostgreSQL the pick skips rows another transaction holds (``select_for_update`` with
``skip_locked``), and everywhere the claim is a conditional UPDATE and the grant's code is a
one-to-one column, so the database itself refuses a second holder."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member

from ..models import Perk, PerkCode, PerkGrant
from ..permissions import check_can_manage_ambassadors
from .common import _notify

logger = logging.getLogger(__name__)

# Which badges each tier's perks go to (an ambassador is an advocate too).
TIER_BADGES: dict[str, tuple[str, ...]] = {
    Perk.Tier.ADVOCATE: (Member.Badge.ADVOCATE, Member.Badge.AMBASSADOR),
    Perk.Tier.AMBASSADOR: (Member.Badge.AMBASSADOR,),
}
MAX_CODES_AT_ONCE = 1000


class NoCodesLeft(ValidationError):
    pass


def _code_claim(perk: Perk, now: datetime) -> PerkCode | None:
    """Take the first unused code of ``perk`` that no other transaction is taking."""
    for _attempt in range(5):
        code = (
            PerkCode.objects.select_for_update(skip_locked=True)
            .filter(perk=perk, handed_out_at__isnull=True)
            .order_by("id")
            .first()
        )
        if code is None:
            return None
        # Where rows are not locked (SQLite), another grant may have taken it meanwhile.
        if PerkCode.objects.filter(pk=code.pk, handed_out_at__isnull=True).update(
            handed_out_at=now
        ):
            code.handed_out_at = now
            return code
    return None


def _grant(*, actor: Member | None, perk: Perk, member: Member) -> PerkGrant:
    now = timezone.now()
    with transaction.atomic():
        if PerkGrant.objects.filter(perk=perk, member=member, revoked_at__isnull=True).exists():
            raise ValidationError(
                _("%(name)s already has this perk.") % {"name": member.name}, code="held"
            )
        code = None
        if perk.uses_codes:
            code = _code_claim(perk, now)
            if code is None:
                raise NoCodesLeft(_("No codes are left for this perk: add some first."))
        try:
            with transaction.atomic():
                grant = PerkGrant.objects.create(
                    perk=perk, member=member, code=code, granted_by=actor, granted_at=now
                )
        except IntegrityError:  # granted by a concurrent request a moment ago
            raise ValidationError(
                _("%(name)s already has this perk.") % {"name": member.name}, code="held"
            ) from None
        _notify(member, "perk_granted", {"perk": perk.title}, target=grant)
    return grant


def perk_grant(*, actor: Member, perk: Perk, member: Member) -> PerkGrant:
    """Staff grant ``perk`` to ``member`` by hand."""
    check_can_manage_ambassadors(actor)
    if not perk.active:
        raise ValidationError(_("This perk is not active."))
    if not member.is_active or member.banned_at is not None:
        raise ValidationError(_("This member cannot receive perks."))
    return _grant(actor=actor, perk=perk, member=member)


def perk_grant_tier(*, actor: Member, perk: Perk) -> tuple[int, int]:
    """Grant a tier's perk to every member of the tier who does not hold it yet (staff do it
    after creating the perk; members reaching the tier later get it at once). Returns how
    many got it and how many did not because the codes ran out."""
    check_can_manage_ambassadors(actor)
    if not perk.tier or not perk.active:
        raise ValidationError(_("This perk is not granted by tier."))
    holders = PerkGrant.objects.filter(perk=perk, revoked_at__isnull=True).values("member_id")
    members = list(
        Member.objects.filter(
            badge__in=TIER_BADGES[perk.tier], is_active=True, banned_at__isnull=True
        )
        .exclude(pk__in=holders)
        .order_by("id")
    )
    granted = 0
    for member in members:
        try:
            _grant(actor=actor, perk=perk, member=member)
        except NoCodesLeft:
            break
        except ValidationError:
            continue
        granted += 1
    return granted, len(members) - granted


def perks_grant_for_badge(*, member: Member) -> int:
    """Grant the tier perks ``member``'s badge gives and they do not hold yet (called when a
    member becomes an advocate or an ambassador). A perk whose codes ran out is skipped (staff
    see who is missing it on its page)."""
    tiers = [tier for tier, badges in TIER_BADGES.items() if member.badge in badges]
    if not tiers:
        return 0
    held = PerkGrant.objects.filter(member=member, revoked_at__isnull=True).values("perk_id")
    perks = Perk.objects.filter(tier__in=tiers, active=True).exclude(pk__in=held)
    granted = 0
    for perk in perks:
        try:
            _grant(actor=None, perk=perk, member=member)
        except ValidationError:
            logger.info("Perk %s not granted to member %s (no codes left)", perk.pk, member.pk)
            continue
        granted += 1
    return granted


def perk_revoke(*, actor: Member, grant: PerkGrant, reason: str = "") -> bool:
    """Take a perk back. The code it held is not given to anyone else (it was seen)."""
    check_can_manage_ambassadors(actor)
    with transaction.atomic():
        revoked = PerkGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor, revoke_reason=reason
        )
        if revoked:
            member = Member.objects.get(pk=grant.member_id)
            _notify(
                member, "perk_revoked", {"perk": grant.perk.title, "message": reason}, target=grant
            )
    return bool(revoked)


def perk_codes_add(*, actor: Member, perk: Perk, codes: list[str]) -> int:
    """Add codes to the pool of ``perk`` (a code already in it is skipped)."""
    check_can_manage_ambassadors(actor)
    cleaned = list(dict.fromkeys(c.strip() for c in codes if c.strip()))[:MAX_CODES_AT_ONCE]
    if not cleaned:
        raise ValidationError(_("Give at least one code."))
    with transaction.atomic():
        before = PerkCode.objects.filter(perk=perk).count()
        PerkCode.objects.bulk_create(
            [PerkCode(perk=perk, code=code) for code in cleaned], ignore_conflicts=True
        )
        if not perk.uses_codes:
            Perk.objects.filter(pk=perk.pk).update(uses_codes=True)
            perk.uses_codes = True
        return PerkCode.objects.filter(perk=perk).count() - before
