"""Figures of the members-based panels, checked against values worked out by hand."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from analytics import services
from analytics.aggregates import percentiles, seconds_between
from analytics.forms import DateRange
from analytics.models import CohortRetention, DailyActiveCount, RollupWatermark
from analytics.selectors.members import activity_panel, growth_panel, retention_panel
from members.models import ActivityDay, Member

from .factories import at, member_joined

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def figures(panel):
    return {f.label: f.value for f in panel.figures}


@pytest.fixture
def activity_set(today):
    """A: active today, yesterday and 10 days ago; B: 3 and 20 days ago; C: 40 days ago;
    D: never. All joined 50 days ago."""
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    joined = d(50)
    member_joined(joined, active=[d(0), d(1), d(10)])
    member_joined(joined, active=[d(3), d(20)])
    member_joined(joined, active=[d(40)])
    member_joined(joined)
    services.rollups_update(today=today)


def test_daily_active_counts_match_hand_counts(activity_set, today):
    row = DailyActiveCount.objects.get(day=today)
    assert (row.dau, row.wau, row.mau, row.members_total) == (1, 2, 2, 4)
    row = DailyActiveCount.objects.get(day=today - timedelta(days=20))
    # on day -20: B active (DAU 1); WAU -26..-20: B; MAU -49..-20: B and C (day -40)
    assert (row.dau, row.wau, row.mau) == (1, 1, 2)
    assert DailyActiveCount.objects.get(day=today - timedelta(days=50)).signups == 4


def test_activity_panel_stickiness_and_share_active(activity_set, today):
    panel = activity_panel(DateRange(today - timedelta(days=29), today))
    values = figures(panel)
    # 5 member-days of activity in the last 30 days → average DAU 5/30; MAU 2 → 1/12
    assert values["Stickiness (average DAU ÷ MAU)"] == f"{100 * (5 / 30) / 2:.1f}%"
    # MAU 2 of 4 members
    assert values["Share of members active in the last 30 days"] == "50.0%"
    assert values["Active in the last 30 days (MAU)"] == 2


def test_growth_panel_counts_sign_ups_in_the_period(activity_set, today):
    member_joined(today - timedelta(days=2))
    services.rollups_rebuild(since=today - timedelta(days=7), until=today)
    panel = growth_panel(DateRange(today - timedelta(days=6), today))
    values = figures(panel)
    assert values["Sign-ups in the period"] == 1
    assert values["Members at the end of the period"] == 5
    assert panel.tables[0].rows[4] == [(today - timedelta(days=2)).isoformat(), 1]


def test_weekly_cohort_shares_match_hand_counts(today):
    cohort = services.week_start(today) - timedelta(weeks=3)
    w = lambda k, day=0: cohort + timedelta(days=7 * k + day)  # noqa: E731
    member_joined(w(0), active=[w(0), w(1, 2), w(2, 6)])
    member_joined(w(0, 3), active=[w(0, 3), w(2)])
    member_joined(w(0, 6), active=[w(0, 6)])
    member_joined(w(0, 1))
    member_joined(w(1), active=[w(1)])  # the next cohort
    services.rollups_update(today=today)
    cells = dict(
        CohortRetention.objects.filter(cohort_week=cohort, segment="all").values_list(
            "week", "active"
        )
    )
    assert cells == {0: 3, 1: 1, 2: 2}  # week 3 is not over yet
    panel = retention_panel(DateRange(today - timedelta(days=29), today))
    heat = panel.heat[0]
    row = next(r for r in heat["rows"] if r["cohort"] == cohort)
    assert row["size"] == 4
    assert [c["text"] for c in row["cells"][:4]] == ["75.0%", "25.0%", "50.0%", "—"]


def test_rollups_update_is_idempotent_and_resumes_from_the_watermark(activity_set, today):
    before = list(DailyActiveCount.objects.values_list("day", "dau", "wau", "mau"))
    assert RollupWatermark.objects.get(metric="daily_active").computed_through == today
    services.rollups_update(today=today)
    assert list(DailyActiveCount.objects.values_list("day", "dau", "wau", "mau")) == before
    # new activity today is picked up from the watermark on
    member = Member.objects.exclude(activity_days__day=today).first()
    ActivityDay.objects.create(member=member, day=today)
    services.rollups_update(today=today)
    assert DailyActiveCount.objects.get(day=today).dau == 2


def test_rebuild_rollups_command_recomputes_a_past_range(activity_set, today):
    DailyActiveCount.objects.update(dau=99)
    since = today - timedelta(days=12)
    call_command("rebuild_rollups", since=since, until=today - timedelta(days=8))
    assert DailyActiveCount.objects.get(day=today - timedelta(days=10)).dau == 1
    assert DailyActiveCount.objects.get(day=today - timedelta(days=1)).dau == 99  # untouched
    assert RollupWatermark.objects.get(metric="daily_active").computed_through == today


def test_percentiles_interpolate_like_percentile_cont(today):
    for hours in (1, 2, 4, 10):
        member_joined(today).__class__.objects.filter(welcome_sent_at__isnull=True).update(
            welcome_sent_at=F("date_joined") + timedelta(hours=hours)
        )
    result = percentiles(
        Member.objects.all(),
        {
            "median": (seconds_between(F("date_joined"), F("welcome_sent_at")), 0.5),
            "p90": (seconds_between(F("date_joined"), F("welcome_sent_at")), 0.9),
        },
    )
    # sorted 1, 2, 4, 10 h: median halfway between 2 and 4; p90 at 2.7 → 4 + 0.7 × 6 = 8.2
    assert result["median"] == pytest.approx(3 * 3600, abs=1)
    assert result["p90"] == pytest.approx(8.2 * 3600, abs=1)


def test_percentiles_of_nothing_are_none():
    assert percentiles(Member.objects.none(), {"m": (F("id"), 0.5)}) == {"m": None}


def test_at_hour_helper_is_aware(today):
    assert timezone.is_aware(at(today))
