"""Regressions of issue 20, point 8: figures that could not be right, codes shown to staff,
CSV cells that a spreadsheet could not sum, date boxes that Russian emptied."""

import csv
import io
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as global_apps
from django.urls import reverse
from django.utils import timezone

from analytics import selectors, services
from analytics.forms import DateRange
from analytics.models import DailyActiveCount
from tests.ambassadors.factories import ReferralFactory

from .factories import member_joined

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics:dashboard")


@pytest.fixture
def today():
    return timezone.localdate()


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


def _figures(panel) -> dict:
    return {f.label: (f.value, f.note) for f in panel.figures}


def test_the_share_of_sign_ups_by_referral_never_passes_100_percent(today):
    """The fixture that showed 125%: four referred sign-ups rolled up, a fifth today, after
    the nightly rollup (referred members were counted live, sign-ups from the rollup). Both
    come from the rollup now: today joins both once it is rolled up."""
    referrer = member_joined(today - timedelta(days=100))
    for days_ago in (1, 2, 3, 5):
        ReferralFactory(referrer=referrer, referred=member_joined(today - timedelta(days=days_ago)))
    services.rollups_update(today=today - timedelta(days=1))
    ReferralFactory(referrer=referrer, referred=member_joined(today))
    week = DateRange(today - timedelta(days=6), today, "7d")
    figures = _figures(selectors.PANELS["growth"](week))
    assert figures["Share of sign-ups by referral"] == ("100.0%", "4 of 4")
    assert figures["Sign-ups in the period"][0] == 4
    services.rollups_update(today=today)
    figures = _figures(selectors.PANELS["growth"](week))
    assert figures["Share of sign-ups by referral"] == ("100.0%", "5 of 5")
    assert figures["Members at the end of the period"][0] == 6


def test_the_share_of_sign_ups_by_referral_counts_organic_sign_ups(today):
    referrer = member_joined(today - timedelta(days=100))
    ReferralFactory(referrer=referrer, referred=member_joined(today - timedelta(days=1)))
    member_joined(today - timedelta(days=2))
    member_joined(today)
    services.rollups_update(today=today)
    panel = selectors.PANELS["growth"](DateRange(today - timedelta(days=6), today, "7d"))
    assert _figures(panel)["Share of sign-ups by referral"] == ("33.3%", "1 of 3")


def test_the_header_says_when_today_is_not_in_the_rollups_yet(staff_client, today):
    member_joined(today - timedelta(days=3), active=[today - timedelta(days=1)])
    services.rollups_update(today=today - timedelta(days=1))
    html = staff_client.get(DASHBOARD, {"range": "7d"}).content.decode()
    assert 'id="rollup-missing"' in html and "today included" in html
    services.rollups_update(today=today)
    html = staff_client.get(DASHBOARD, {"range": "7d"}).content.decode()
    assert 'id="rollup-missing"' not in html


def test_rollups_are_named_for_staff_not_by_their_codes(staff_client, today):
    services.rollups_update(today=today)
    html = staff_client.get(DASHBOARD).content.decode()
    assert "daily activity" in html and "weekly cohorts" in html
    assert "cohort_retention" not in html and "daily_active" not in html


def test_csv_cells_are_numbers_with_the_unit_in_the_header(staff_client, today):
    member_joined(today - timedelta(days=40), active=[today - timedelta(days=d) for d in range(5)])
    member_joined(today - timedelta(days=40), active=[today - timedelta(days=1)])
    services.rollups_update(today=today)
    url = reverse("analytics:table-csv", args=["activity"])
    rows = _csv(staff_client.get(url, {"range": "7d"}))
    assert rows[0] == ["Day", "DAU", "WAU", "MAU", "DAU ÷ MAU (%)"]
    last = rows[-1]
    assert last[0] == today.isoformat() and last[1:4] == ["1", "2", "2"]
    assert last[4] == "50.0"

    for key in ("support-response", "ideas-funnel", "moderation-queues", "retention-all"):
        rows = _csv(staff_client.get(reverse("analytics:table-csv", args=[key])))
        cells = [cell for row in rows[1:] for cell in row[1:]]
        assert not [c for c in cells if c.endswith(("%", " h", " d")) or c == "—"], key
    header = _csv(staff_client.get(reverse("analytics:table-csv", args=["support-response"])))[0]
    assert header == ["First answer by", "Median (hours)", "90th percentile (hours)"]


def test_the_page_shows_the_formatted_values(staff_client, today):
    member_joined(today - timedelta(days=40), active=[today])
    member_joined(today - timedelta(days=40), active=[today - timedelta(days=1)])
    services.rollups_update(today=today)
    html = staff_client.get(DASHBOARD, {"range": "7d"}).content.decode()
    assert "<td>50.0%</td>" in html


def test_every_table_and_chart_has_a_csv(staff_client, today):
    member_joined(today - timedelta(days=10), active=[today])
    services.rollups_update(today=today)
    html = staff_client.get(DASHBOARD, {"range": "30d"}).content.decode()
    panels = selectors.dashboard_panels(DateRange(today - timedelta(days=29), today, "30d"))
    keys = [t.key for p in panels for t in p.tables]
    assert "support-weekly" in keys
    # a cohort table with nobody in it is a sentence, not a table
    empty = {h["key"] for p in panels for h in (p.heat or []) if h["empty"]}
    assert empty == {"retention-referred"}
    for key in keys:
        if key not in empty:
            assert reverse("analytics:table-csv", args=[key]) + "?" in html, key
        assert staff_client.get(reverse("analytics:table-csv", args=[key])).status_code == 200
    for chart in [c for p in panels for c in p.charts]:
        assert chart.csv_table in keys, chart.key


def test_the_date_boxes_work_in_russian(client, staff, today):
    staff.preferred_language = "ru"
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    start, end = today - timedelta(days=9), today - timedelta(days=2)
    response = client.get(DASHBOARD, {"range": "custom", "start": start, "end": end})
    assert response.status_code == 200
    html = response.content.decode()
    # the boxes hold ISO dates, the only ones a date box takes, in Russian too
    assert f'value="{start.isoformat()}"' in html and f'value="{end.isoformat()}"' in html
    assert 'type="date"' in html
    # a date typed the Russian way (a browser without date boxes) is read as well
    typed = {"range": "custom", "start": start.strftime("%d.%m.%Y"), "end": end.isoformat()}
    response = client.get(DASHBOARD, typed)
    assert (
        response.status_code == 200 and f'value="{start.isoformat()}"' in response.content.decode()
    )
    csv_response = client.get(reverse("analytics:table-csv", args=["signups"]), typed)
    assert csv_response.status_code == 200


def test_the_data_migration_fills_referred_sign_ups_of_the_days_rolled_up(today):
    """Days rolled up before the column existed get their referred sign-ups."""
    fill = import_module("analytics.migrations.0004_fill_referred_signups").fill
    referrer = member_joined(today - timedelta(days=100))
    ReferralFactory(referrer=referrer, referred=member_joined(today - timedelta(days=2)))
    services.rollups_update(today=today)
    DailyActiveCount.objects.update(referred_signups=0)
    fill(global_apps, None)
    filled = dict(DailyActiveCount.objects.values_list("day", "referred_signups"))
    assert filled[today - timedelta(days=2)] == 1
    assert sum(filled.values()) == 1
