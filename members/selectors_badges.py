"""Reads of badges and of the user card (members.badges, ``MemberBadge``)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from .badges import CATALOGUE, LEVEL_ORDER, BadgeSpec
from .models import Expertise, Member, MemberBadge
from .permissions import members_visible_to
from .selectors import SHOWN_BESIDE_POSTS


@dataclass(frozen=True)
class HeldBadge:
    spec: BadgeSpec
    tag: str
    awarded_at: Any


def _shown_holders() -> QuerySet[MemberBadge]:
    """Badges of accounts anybody may see: not deleted, deactivated nor banned."""
    return MemberBadge.objects.filter(
        member__is_active=True, member__banned_at__isnull=True, member__deleted_at__isnull=True
    )


def badge_catalogue_with_counts() -> list[tuple[BadgeSpec, int]]:
    """Every badge of the catalogue with how many members hold it (one query)."""
    counts = dict(
        _shown_holders()
        .values_list("badge")
        .annotate(n=Count("member", distinct=True))
        .values_list("badge", "n")
        .order_by()
    )
    return [(spec, counts.get(slug, 0)) for slug, spec in CATALOGUE.items()]


def badge_list_holders(slug: str) -> QuerySet[MemberBadge]:
    """Who holds ``slug``, the latest first, with the member's shown columns only."""
    return (
        _shown_holders()
        .filter(badge=slug)
        .select_related("member")
        .only("id", "badge", "tag", "awarded_at", *(f"member__{f}" for f in SHOWN_BESIDE_POSTS))
        .order_by("-awarded_at", "-id")
    )


def held_badges(rows: Any) -> list[HeldBadge]:
    """``MemberBadge`` rows as the catalogue's badges, gold first, then the latest; rows of a
    badge no longer in the catalogue are left out."""
    found = [
        HeldBadge(CATALOGUE[row.badge], row.tag, row.awarded_at)
        for row in rows
        if row.badge in CATALOGUE
    ]
    found.sort(key=lambda held: (LEVEL_ORDER[held.spec.level], -held.awarded_at.timestamp()))
    return found


def member_badge_list(member: Member) -> list[HeldBadge]:
    return held_badges(MemberBadge.objects.filter(member=member).only("badge", "tag", "awarded_at"))


def member_get_card(username: str, viewer: Any) -> Member:
    """The member of a user card: one the viewer may see (not banned, unless the viewer
    moderates; never a deleted account), with expertise and badges (three queries)."""
    return (
        members_visible_to(viewer)
        .filter(deleted_at__isnull=True)
        .prefetch_related(
            Prefetch("expertise", queryset=Expertise.objects.order_by("tag_slug")),
            Prefetch(
                "badges",
                queryset=MemberBadge.objects.only("member_id", "badge", "tag", "awarded_at"),
            ),
        )
        .get(username=username)
    )
