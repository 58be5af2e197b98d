"""The set-based rollup queries give the same figures as the plain per-day and per-cohort
queries they replaced (kept here as the reference), on a random demo community plus a few
hand-made edge cases, in UTC and in a time zone with daylight saving time."""

import random
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

import pytest
from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from analytics import services
from analytics.models import CohortRetention, DailyActiveCount
from analytics.sources import referred_member_ids
from config.seeding import SeedContext
from members.models import ActivityDay, Member

from .factories import member_joined

pytestmark = pytest.mark.django_db

SIZES = {
    "members": 60,
    "questions": 120,
    "answers": 300,
    "comments": 200,
    "votes": 1200,
    "ideas": 25,
    "idea_votes": 250,
    "idea_comments": 30,
    "activity_days": 2400,
    "flags": 5,
    "referrals": 25,
    "faq": 5,
    "history_days": 150,
}


def reference_active(day: date) -> dict[str, int]:
    """DAU, WAU, MAU and the creators/contributors split of ``day``, two queries per day."""
    counts = ActivityDay.objects.filter(day__gte=day - timedelta(days=29), day__lte=day).aggregate(
        mau=Count("member", distinct=True),
        wau=Count("member", distinct=True, filter=Q(day__gte=day - timedelta(days=6))),
        dau=Count("member", filter=Q(day=day)),
    )
    since = services.day_start(day - timedelta(days=29))
    until = services.day_start(day + timedelta(days=1))

    def who(sources) -> Q | None:
        parts = []
        for model, field in sources:
            rows = model.objects.filter(created_at__gte=since, created_at__lt=until)
            parts.append(Q(pk__in=rows.values(f"{field}_id")))
        return reduce(or_, parts) if parts else None

    created, contributed = who(services.CREATED), who(services.CONTRIBUTED)
    if created is None and contributed is None:
        return {**counts, "creators": 0, "contributors": 0}
    created = created or Q(pk__in=[])
    contributed = contributed or Q(pk__in=[])
    active = ActivityDay.objects.filter(day__gte=day - timedelta(days=29), day__lte=day)
    split = Member.objects.filter(pk__in=active.values("member_id")).aggregate(
        creators=Count("id", filter=created),
        contributors=Count("id", filter=contributed & ~created),
    )
    return {**counts, **split}


def reference_cohort(cohort: date, until: date) -> dict[tuple[str, int], tuple[int, int]]:
    """``{(segment, week): (cohort size, active)}`` of one cohort, one query per segment."""
    start = services.day_start(cohort)
    members = Member.objects.filter(
        date_joined__gte=start, date_joined__lt=services.day_start(cohort + timedelta(7))
    )
    segments = {"all": members}
    referred = referred_member_ids()
    if referred is not None:
        segments["referred"] = members.filter(pk__in=referred)
        segments["organic"] = members.exclude(pk__in=referred)
    weeks = [k for k in range(services.COHORT_WEEKS) if cohort + timedelta(days=7 * k + 6) <= until]
    cells = {}
    for segment, qs in segments.items():
        counts = qs.aggregate(
            size=Count("id", distinct=True),
            **{
                f"w{k}": Count(
                    "id",
                    distinct=True,
                    filter=Q(
                        activity_days__day__gte=cohort + timedelta(days=7 * k),
                        activity_days__day__lte=cohort + timedelta(days=7 * k + 6),
                    ),
                )
                for k in weeks
            },
        )
        cells.update({(segment, k): (counts["size"], counts[f"w{k}"]) for k in weeks})
    return cells


def midnight(day: date, seconds: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(seconds=seconds)


@pytest.fixture(params=["UTC", "America/New_York"])
def community(request, settings):
    """The demo seeders at a small size, plus edge cases around local midnight: content one
    second before and at midnight, members with content but no activity, a member active
    every day, and a long gap between two active days."""
    settings.TIME_ZONE = request.param
    from members import demo as members_demo

    ctx = SeedContext(quiet=True, rng=random.Random(7), sizes=dict(SIZES))
    members_demo.seed(ctx)
    for module in ("forum.demo", "ideas.demo", "ambassadors.demo"):
        try:
            __import__(module, fromlist=["seed"]).seed(ctx)
        except ModuleNotFoundError:
            pass
    today = timezone.localdate()
    Question, Category = apps.get_model("forum.Question"), apps.get_model("forum.Category")
    Comment = apps.get_model("forum.Comment")
    everyday = member_joined(
        today - timedelta(days=70), active=[today - timedelta(days=n) for n in range(70)]
    )
    member_joined(today - timedelta(days=90), active=[today - timedelta(days=80), today])
    silent = member_joined(today - timedelta(days=60))
    if Question is not None and Category is not None:
        category = Category.objects.create(name="Edge", slug="edge-cases")
        for n, seconds in ((30, -1), (30, 0), (45, 0), (5, -1)):
            Question.objects.create(
                author=silent,
                category=category,
                title="Edge",
                body="b",
                created_at=midnight(today - timedelta(n), seconds),
            )
        if Comment is not None:
            question = Question.objects.filter(author=silent).first()
            from django.contrib.contenttypes.models import ContentType

            for n, seconds in ((29, 0), (29, -1), (0, 0)):
                Comment.objects.create(
                    author=everyday,
                    target_type=ContentType.objects.get_for_model(Question),
                    target_id=question.pk,
                    body="c",
                    created_at=midnight(today - timedelta(n), seconds),
                )
    return today


def test_daily_rows_equal_the_per_day_queries(community):
    today = community
    since = today - timedelta(days=SIZES["history_days"])
    services.rollups_rebuild(since=since, until=today)
    got = {
        row.day: {
            "dau": row.dau,
            "wau": row.wau,
            "mau": row.mau,
            "creators": row.creators,
            "contributors": row.contributors,
        }
        for row in DailyActiveCount.objects.all()
    }
    expected = {
        since + timedelta(n): reference_active(since + timedelta(n))
        for n in range((today - since).days + 1)
    }
    assert got == expected
    assert sum(row["creators"] for row in got.values()) > 0
    assert sum(row["contributors"] for row in got.values()) > 0


def test_cohort_rows_equal_the_per_cohort_queries(community):
    today = community
    since = today - timedelta(days=SIZES["history_days"])
    services.rollups_rebuild(since=since, until=today)
    cohort = services.week_start(since) - timedelta(weeks=services.COHORT_WEEKS - 1)
    expected = {}
    while cohort <= services.week_start(today):
        for (segment, week), cell in reference_cohort(cohort, today).items():
            expected[cohort, segment, week] = cell
        cohort += timedelta(weeks=1)
    got = {
        (row.cohort_week, row.segment, row.week): (row.cohort_size, row.active)
        for row in CohortRetention.objects.all()
    }
    assert got == expected
    assert any(active for _size, active in got.values())


def test_activity_alone_makes_readers_not_creators_or_contributors():
    today = timezone.localdate()
    first, second = today - timedelta(days=9), today - timedelta(days=3)
    member_joined(first, active=[first, today])
    member_joined(second, active=[second])
    services.rollups_rebuild(since=first, until=today)
    row = DailyActiveCount.objects.get(day=today)
    assert (row.dau, row.wau, row.mau, row.creators, row.contributors) == (1, 2, 2, 0, 0)
    assert set(CohortRetention.objects.values_list("segment", flat=True)) == {
        "all",
        "referred",
        "organic",
    }
    same_week = services.week_start(first) == services.week_start(second)
    cell = CohortRetention.objects.get(
        cohort_week=services.week_start(first), week=0, segment="all"
    )
    assert (cell.cohort_size, cell.active) == ((2, 2) if same_week else (1, 1))
