"""Reads for the ambassador program. Every function runs a fixed number of queries."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from members.models import Member
from moderation.models import QueueItem

from .models import (
    APPLICATIONS_QUEUE,
    SUSPICIOUS_QUEUE,
    AmbassadorApplication,
    Invitation,
    Perk,
    PerkGrant,
    Referral,
    ReferralCode,
    ReferrerStats,
)

# Held perks before the ones taken back.
F_REVOKED_LAST = F("revoked_at").asc(nulls_first=True)
DASHBOARD_ROWS = 20
LEADERBOARD_SIZE = 50


def referrer_get_by_code(code: str) -> Member | None:
    row = (
        ReferralCode.objects.filter(
            code=code, member__is_active=True, member__banned_at__isnull=True
        )
        .select_related("member")
        .first()
    )
    return row.member if row else None


def invitation_get_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.filter(
            token=token, inviter__is_active=True, inviter__banned_at__isnull=True
        )
        .select_related("inviter")
        .first()
    )


def perk_list_active() -> QuerySet[Perk]:
    return Perk.objects.filter(active=True).order_by("position", "id")


def perk_list_staff() -> QuerySet[Perk]:
    """Every perk with how many members hold it and how many codes are left in its pool."""
    return Perk.objects.annotate(
        holders=Count("grants", filter=Q(grants__revoked_at__isnull=True), distinct=True),
        codes_left=Count("codes", filter=Q(codes__handed_out_at__isnull=True), distinct=True),
    ).order_by("position", "id")


def perk_get_staff(pk: int) -> Perk:
    return perk_list_staff().get(pk=pk)


def perk_grant_list(perk: Perk, limit: int = 200) -> list[PerkGrant]:
    """The record of who got ``perk``: newest first, revoked grants included."""
    return list(
        PerkGrant.objects.filter(perk=perk).select_related(
            "member", "code", "granted_by", "revoked_by"
        )[:limit]
    )


def member_find_by_username(username: str) -> Member | None:
    return Member.objects.filter(username=username).first()


def perk_grant_get(pk: int) -> PerkGrant:
    return PerkGrant.objects.select_related("perk").get(pk=pk)


def perk_grants_of_member(member: Member) -> list[PerkGrant]:
    """A member's own perks, those they hold first, with their codes."""
    return list(
        PerkGrant.objects.filter(member=member)
        .select_related("perk", "code")
        .order_by(F_REVOKED_LAST, "-granted_at", "-id")
    )


@dataclass
class Dashboard:
    code: ReferralCode
    stats: ReferrerStats
    invitations: list[Invitation] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    application: AmbassadorApplication | None = None


def dashboard_get(member: Member, code: ReferralCode) -> Dashboard:
    """The signed-in member's referral numbers: 4 queries (stats, invitations, referrals with
    their members, the latest application)."""
    stats = ReferrerStats.objects.filter(member_id=member.pk).first() or ReferrerStats(
        member_id=member.pk
    )
    invitations = list(Invitation.objects.filter(inviter=member)[:DASHBOARD_ROWS])
    referrals = list(
        Referral.objects.filter(referrer=member)
        .select_related("referred")
        .order_by("-created_at", "-id")[:DASHBOARD_ROWS]
    )
    application = (
        AmbassadorApplication.objects.filter(member=member).order_by("-created_at", "-id").first()
    )
    return Dashboard(
        code=code,
        stats=stats,
        invitations=invitations,
        referrals=referrals,
        application=application,
    )


def leaderboard_list(limit: int = LEADERBOARD_SIZE) -> list[ReferrerStats]:
    return list(
        ReferrerStats.objects.filter(
            qualified__gt=0, member__is_active=True, member__banned_at__isnull=True
        )
        .select_related("member")
        .order_by("-qualified", "member_id")[:limit]
    )


def ambassador_list() -> QuerySet[Member]:
    return Member.objects.filter(badge=Member.Badge.AMBASSADOR).order_by("username")


def program_queue_item_get(pk: int) -> QueueItem:
    """An open item of one of the program's queues."""
    return QueueItem.objects.get(
        pk=pk,
        resolved_at__isnull=True,
        queue__in=[SUSPICIOUS_QUEUE, APPLICATIONS_QUEUE],
    )


def review_queue_items(queue: str) -> list:
    """Open items of one of the program's queues with their targets (one query per queue plus
    one for the targets and one for their members)."""
    items = list(
        QueueItem.objects.filter(queue=queue, resolved_at__isnull=True)
        .select_related("member")
        .order_by("-priority", "created_at", "id")[:100]
    )
    ids = [item.target_id for item in items]
    if queue == "suspicious_referrals":
        targets: Mapping[Any, Referral | AmbassadorApplication] = Referral.objects.select_related(
            "referrer", "referred"
        ).in_bulk(ids)
    else:
        targets = AmbassadorApplication.objects.select_related("member").in_bulk(ids)
    for item in items:
        item.program_target = targets.get(item.target_id)  # type: ignore[attr-defined]
    return [item for item in items if item.program_target is not None]  # type: ignore[attr-defined]
