"""The referrer counters (``ReferrerStats``): bumped with ``F()`` as referrals move, and
recomputed from the source rows by ``referrer_stats_synchronize``."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from members.models import Member

from ..models import Referral, ReferralClick, ReferrerStats


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


def referrer_stats_synchronize(*, member: Member | None = None) -> int:
    """Recompute clicks, sign-ups and qualified counts from the source rows."""
    referrer_ids = set(Referral.objects.values_list("referrer_id", flat=True).distinct())
    referrer_ids |= set(ReferralClick.objects.values_list("referrer_id", flat=True).distinct())
    if member is not None:
        referrer_ids = {member.pk}
    ReferrerStats.objects.bulk_create(
        [ReferrerStats(member_id=pk) for pk in referrer_ids], ignore_conflicts=True
    )

    def count_of(model: Any, **filters: Any) -> Coalesce:
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
