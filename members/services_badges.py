"""Awarding badges of the catalogue (members.badges): once per member, badge and tag, each
award notifying the member once. The apps whose events earn a badge call ``badge_award``; the
back-fill job (``badges_backfill``) awards whatever their registered rules list and nobody
holds yet, so it is safe to run any number of times."""

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse

# The module, not the name: services imports the tasks, which import this module.
from . import services
from .badges import CATALOGUE, RULES
from .models import Member, MemberBadge

logger = logging.getLogger(__name__)


def badge_award(*, member: Member | int | None, slug: str, tag: str = "") -> bool:
    """Give ``member`` the badge ``slug`` (in ``tag`` for a per-tag badge) unless they hold it;
    returns whether it was new. A deleted or deactivated account earns nothing."""
    spec = CATALOGUE[slug]
    tag = tag if spec.per_tag else ""
    if member is None:
        return False
    member_id = member if isinstance(member, int) else member.pk
    recipient = Member.objects.filter(pk=member_id, is_active=True, deleted_at__isnull=True).first()
    if recipient is None:
        return False
    try:
        # A savepoint: a duplicate (a second event, a parallel back-fill) leaves the caller's
        # transaction usable.
        with transaction.atomic():
            MemberBadge.objects.create(member=recipient, badge=slug, tag=tag)
    except IntegrityError:
        return False
    services.notification_send(
        recipients=[recipient],
        kind="badge_awarded",
        params={"badge": slug, "tag": tag},
        url=reverse("members:badge", args=[slug]),
    )
    return True


def badges_award_many(slug: str, holders: Iterable[tuple[int, str]]) -> int:
    """Award ``slug`` to each (member id, tag) of ``holders`` that lacks it; how many were new."""
    per_tag = CATALOGUE[slug].per_tag
    wanted = {(member_id, tag if per_tag else "") for member_id, tag in holders if member_id}
    held = set(MemberBadge.objects.filter(badge=slug).values_list("member_id", "tag"))
    awarded = 0
    for member_id, tag in sorted(wanted - held):
        awarded += badge_award(member=member_id, slug=slug, tag=tag)
    return awarded


def badges_backfill() -> int:
    """Run every registered rule and award what is missing; returns how many badges were new.
    Idempotent: the unique constraint and the "held" set make a second run award nothing."""
    total = 0
    for slug, holders in RULES.items():
        awarded = badges_award_many(slug, holders())
        if awarded:
            logger.info("badges back-fill: %s awarded %d times", slug, awarded)
        total += awarded
    return total
