import random

import pytest
from django.db.models import Count, Max, Min

from config.seeding import SeedContext
from members import demo
from members.models import ActivityDay, Member

pytestmark = pytest.mark.django_db


def test_activity_days_reach_the_requested_count_though_recent_members_have_few_days():
    # 300 members over a year, most of them recent, asking for 60 days each on average: the
    # newest cannot have that many, so older members make up the difference.
    ctx = SeedContext(
        quiet=True,
        rng=random.Random(3),
        sizes={"members": 300, "activity_days": 18_000, "history_days": 365},
    )
    demo.seed(ctx)
    assert ActivityDay.objects.count() == 18_000
    today = ctx.now.date()
    per_member = {
        m.pk: m
        for m in Member.objects.annotate(
            days=Count("activity_days"),
            first=Min("activity_days__day"),
            last=Max("activity_days__day"),
        )
    }
    for member in per_member.values():
        assert member.first == member.date_joined.date()  # active on the sign-up day
        assert member.last == member.last_seen <= today
        assert member.days <= (today - member.date_joined.date()).days + 1
    by_age = sorted(per_member.values(), key=lambda m: m.date_joined)
    oldest, newest = by_age[: len(by_age) // 3], by_age[-len(by_age) // 3 :]
    assert sum(m.days for m in oldest) > 1.5 * sum(m.days for m in newest)
    demo.seed(ctx)  # second run: nothing added
    assert ActivityDay.objects.count() == 18_000


def test_activity_quotas_fill_the_budget_within_each_members_days():
    rng = random.Random(1)
    caps = [1, 5, 40, 200, 365, 90, 3]
    weights = [10, 10, 10, 40, 40, 2, 40]
    quotas = demo.activity_quotas(weights, caps, 500, rng)
    assert sum(quotas) == 500
    assert all(1 <= q <= cap for q, cap in zip(quotas, caps, strict=True))
    assert quotas[4] > quotas[2]  # more weight and more room: more days
    assert demo.activity_quotas(weights, caps, 10_000, rng) == caps  # not more than exist
    assert demo.activity_quotas(weights, caps, 3, rng) == [1] * 7  # the sign-up day each


def test_a_small_community_gets_exactly_the_requested_distinct_days():
    ctx = SeedContext(quiet=True, sizes={"members": 5, "activity_days": 70, "history_days": 30})
    demo.seed(ctx)
    assert ActivityDay.objects.count() == 70
    assert ActivityDay.objects.values("member", "day").distinct().count() == 70
