"""A demo that looks real (issue 20, point 10): ``seed_demo`` at its default size gives a
community with the shapes real ones have, read through the same rollups the dashboard shows
(analytics.services: ``DailyActiveCount``, ``CohortRetention``; the activity panel's
stickiness is the average DAU of the last 30 days over the MAU)."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Avg
from django.utils import timezone

from analytics.models import CohortRetention, DailyActiveCount, ReengagementLetter
from members.models import ActivityDay, Member
from moderation.models import QueueItem
from moderation.registry import QUEUES

pytestmark = pytest.mark.django_db

LAST_WEEK = 11  # the 12th week of a cohort (weeks 0…11)


def _retention(segment: str, week: int, cohorts: set | None = None) -> tuple[float, set]:
    """Members of the cohorts (those old enough to have ``week``) active in their ``week``th
    week, over the cohorts' sizes."""
    cells = CohortRetention.objects.filter(segment=segment, week=week, cohort_size__gt=0)
    if cohorts is not None:
        cells = cells.filter(cohort_week__in=cohorts)
    rows = list(cells.values_list("cohort_week", "cohort_size", "active"))
    size = sum(r[1] for r in rows)
    return (sum(r[2] for r in rows) / size if size else 0.0), {r[0] for r in rows}


def test_the_default_demo_has_the_shapes_of_a_real_community():
    call_command("seed_demo", quiet=True)
    daily_actives_are_a_tenth_to_a_quarter_of_monthly_actives()
    most_members_read_and_few_write()
    retention_falls_then_flattens()
    referred_members_retain_better_than_organic_ones()
    re_engagement_letters_bring_some_members_back()
    moderation_queues_are_mostly_within_their_target()
    # The README's demo accounts are all there, the ambassador included.
    assert Member.objects.filter(username="ambassador", badge=Member.Badge.AMBASSADOR).exists()


def daily_actives_are_a_tenth_to_a_quarter_of_monthly_actives() -> None:
    last = DailyActiveCount.objects.latest("day")
    avg_dau = DailyActiveCount.objects.filter(
        day__gt=last.day - timedelta(days=30), day__lte=last.day
    ).aggregate(v=Avg("dau"))["v"]
    stickiness = avg_dau / last.mau
    assert 0.10 <= stickiness <= 0.30, (avg_dau, last.mau)


def most_members_read_and_few_write() -> None:
    last = DailyActiveCount.objects.latest("day")
    readers = last.mau - last.creators - last.contributors
    assert 0 < last.creators < last.contributors < readers, (last.creators, last.contributors)


def retention_falls_then_flattens() -> None:
    late, cohorts = _retention(CohortRetention.Segment.ALL, LAST_WEEK)
    first, _c = _retention(CohortRetention.Segment.ALL, 1, cohorts)
    middle, _c = _retention(CohortRetention.Segment.ALL, 6, cohorts)
    assert cohorts and late < first
    assert first - middle > middle - late  # the fall slows down: the curve flattens


def referred_members_retain_better_than_organic_ones() -> None:
    def over_weeks(segment):
        shares = [_retention(segment, week)[0] for week in range(1, LAST_WEEK + 1)]
        return sum(shares) / len(shares)

    assert over_weeks(CohortRetention.Segment.REFERRED) > over_weeks(
        CohortRetention.Segment.ORGANIC
    )


def re_engagement_letters_bring_some_members_back() -> None:
    letters = list(ReengagementLetter.objects.all())
    assert letters
    back = sum(
        ActivityDay.objects.filter(
            member_id=letter.member_id, day__gt=letter.sent_on, day__lte=letter.back_by
        ).exists()
        for letter in letters
    )
    assert 0 < back < len(letters)


def moderation_queues_are_mostly_within_their_target() -> None:
    now = timezone.now()
    by_queue: dict[str, list[bool]] = defaultdict(list)
    for queue, created in QueueItem.objects.filter(resolved_at__isnull=True).values_list(
        "queue", "created_at"
    ):
        by_queue[queue].append(now - created <= QUEUES[queue].target_age)
    assert by_queue
    within = sum(sum(v) for v in by_queue.values())
    assert within > 0.6 * sum(len(v) for v in by_queue.values()), dict(by_queue)
    assert settings.VECHE_QUEUE_TARGET_HOURS  # the targets the inbox shows
