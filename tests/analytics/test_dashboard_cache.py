"""The dashboard's page body is cached per period and language: what may be stale, what must
show at once, and who may see it."""

import re
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize

from analytics import services
from analytics.models import DailyActiveCount
from analytics.tasks import rollups_update_nightly_task
from config.cache import PREFIX, versions
from tests.factories import MemberFactory

from .factories import member_joined

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics:dashboard")
SIGNUPS = "Sign-ups in the period"


@pytest.fixture(autouse=True)
def _uncached_dashboard(settings):
    """Overrides the package's fixture of the same name: here the cache itself is tested."""
    settings.VECHE_ANALYTICS_CACHE_SECONDS = 300


@pytest.fixture
def today():
    return timezone.localdate()


def _page(client, params=None) -> str:
    response = client.get(DASHBOARD, params or {})
    assert response.status_code == 200
    return response.content.decode()


def _figure(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd><strong>([^<]*)</strong>", html)
    assert match, label
    return match.group(1)


def _summary(html: str) -> str:
    return re.search(r'<p class="meta" id="range-summary">(.*?)</p>', html, re.S).group(1)


def _table_rows(html: str, key: str) -> list[list[str]]:
    table = re.search(
        rf'<table class="analytics-table" id="table-{key}">(.*?)</table>', html, re.S
    ).group(1)
    body = table.split("<tbody>", 1)[1]
    return [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _csv_link(html: str, key: str) -> str:
    return unescape(re.search(rf'href="([^"]*/export/{key}\.csv\?[^"]*)"', html).group(1))


def test_figures_stay_cached_until_the_rollups_are_rebuilt_then_show_at_once(
    staff_client, today, django_capture_on_commit_callbacks
):
    member_joined(today - timedelta(days=2))
    services.rollups_update(today=today)
    before = int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS))
    member_joined(today - timedelta(days=1))
    # the rollup does not know the new member yet, and the page is the cached one
    assert int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS)) == before
    with django_capture_on_commit_callbacks(execute=True):
        services.rollups_rebuild(since=today - timedelta(days=6), until=today)
    assert int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS)) == before + 1


def test_the_nightly_job_shows_new_figures_at_once(
    staff_client, today, django_capture_on_commit_callbacks
):
    services.rollups_update(today=today - timedelta(days=2))
    html = _page(staff_client, {"range": "30d"})
    before = int(_figure(html, SIGNUPS))
    # the rollup named for staff, not by its code (issue 20)
    assert f"daily activity {localize(today - timedelta(days=2))}" in _summary(html)
    member_joined(today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        rollups_update_nightly_task.apply()
    html = _page(staff_client, {"range": "30d"})
    assert int(_figure(html, SIGNUPS)) == before + 2  # the new member and the staff member
    assert f"daily activity {localize(today)}" in _summary(html)


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_command_shows_new_figures_at_once(staff_client, today):
    """Committed for real (no test transaction around it): the command's chunks invalidate
    the cache as they commit."""
    call_command("rebuild_rollups", "--since", str(today - timedelta(days=6)), stdout=StringIO())
    before = int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS))
    member_joined(today - timedelta(days=1))
    call_command("rebuild_rollups", "--since", str(today - timedelta(days=6)), stdout=StringIO())
    assert int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS)) == before + 1


def test_reengagement_letters_show_at_once(staff_client, today, django_capture_on_commit_callbacks):
    member_joined(today - timedelta(days=200), active=[today - timedelta(days=100)])
    sent = "Re-engagement e-mails sent in the period"
    assert _figure(_page(staff_client), sent) == "0"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reengagement_send(today=today) == 1
    assert _figure(_page(staff_client), sent) == "1"


def test_a_hand_edit_of_the_rollups_in_the_admin_shows_at_once(
    admin_client, today, django_capture_on_commit_callbacks
):
    member_joined(today - timedelta(days=2))
    services.rollups_update(today=today)
    before = int(_figure(_page(admin_client, {"range": "7d"}), SIGNUPS))
    row = DailyActiveCount.objects.get(day=today - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:analytics_dailyactivecount_delete", args=[row.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert int(_figure(_page(admin_client, {"range": "7d"}), SIGNUPS)) == before - 1


def test_a_lost_generation_never_brings_back_pages_cached_before(staff_client, today):
    services.rollups_update(today=today)
    before = int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS))
    # a write that invalidates nothing: the cached page stays
    DailyActiveCount.objects.filter(day=today).update(signups=F("signups") + 5)
    assert int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS)) == before
    version = versions((services.DASHBOARD_SCOPE,))
    cache.delete(PREFIX + services.DASHBOARD_SCOPE)  # evicted, or the cache restarted
    assert int(_figure(_page(staff_client, {"range": "7d"}), SIGNUPS)) == before + 5
    assert versions((services.DASHBOARD_SCOPE,)) != version


def test_periods_and_custom_dates_each_get_their_own_page(staff_client, today):
    week_start = today - timedelta(days=6)
    custom_week = {"range": "custom", "start": week_start.isoformat(), "end": today.isoformat()}
    other = {
        "range": "custom",
        "start": (today - timedelta(days=9)).isoformat(),
        "end": (today - timedelta(days=3)).isoformat(),
    }
    for _round in range(2):  # filling the cache, then from it
        week = _page(staff_client, {"range": "7d"})
        month = _page(staff_client, {"range": "30d"})
        same_dates = _page(staff_client, custom_week)
        shifted = _page(staff_client, other)
        assert "(7 days)" in _summary(week) and "(30 days)" in _summary(month)
        assert 'value="7d" id="id_range_0" checked' in week
        assert 'value="30d" id="id_range_1" checked' in month
        assert 'value="custom" id="id_range_4" checked' in same_dates
        assert " checked" not in same_dates.split('value="custom"')[0].split("range-presets")[1]
        assert localize(today - timedelta(days=9)) in _summary(shifted)
        assert localize(today - timedelta(days=3)) in _summary(shifted)
        assert f'value="{today - timedelta(days=9)}"' in shifted
        assert f'value="{week_start}"' in week and f'value="{week_start}"' not in month


def test_each_language_gets_its_own_page(staff_client, staff):
    assert ">Growth</h2>" in _page(staff_client)
    staff.preferred_language = "ru"
    staff.save(update_fields=["preferred_language"])
    html = _page(staff_client)
    assert ">Рост</h2>" in html and ">Growth</h2>" not in html
    staff.preferred_language = "en"
    staff.save(update_fields=["preferred_language"])
    html = _page(staff_client)
    assert ">Growth</h2>" in html and ">Рост</h2>" not in html


def test_csv_links_of_a_cached_page_give_the_rows_it_shows(
    staff_client, today, django_capture_on_commit_callbacks
):
    member_joined(today - timedelta(days=2))
    services.rollups_update(today=today)
    _page(staff_client, {"range": "7d"})
    html = _page(staff_client, {"range": "7d"})  # from the cache
    link = _csv_link(html, "signups")
    # the link names the dates shown: a preset would move on at midnight, the page would not
    assert f"start={today - timedelta(days=6)}" in link and f"end={today}" in link
    lines = staff_client.get(link).content.decode().splitlines()
    assert lines[0] == "Day,Sign-ups"
    assert [line.split(",") for line in lines[1:]] == _table_rows(html, "signups")

    member_joined(today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.rollups_rebuild(since=today - timedelta(days=6), until=today)
    html = _page(staff_client, {"range": "7d"})
    lines = staff_client.get(_csv_link(html, "signups")).content.decode().splitlines()
    assert f"{today - timedelta(days=1)},1" in lines
    assert [line.split(",") for line in lines[1:]] == _table_rows(html, "signups")


def test_the_cached_page_is_only_ever_served_to_staff(staff_client, member, moderator):
    assert 'id="panel-growth"' in _page(staff_client)
    assert 'id="panel-growth"' in _page(staff_client)  # cached now
    anonymous = Client().get(DASHBOARD)
    assert anonymous.status_code == 302
    assert b"panel-growth" not in anonymous.content
    for who in (member, moderator):
        client = Client()
        client.force_login(who)
        response = client.get(DASHBOARD)
        assert response.status_code == 403
        assert b"panel-growth" not in response.content
        assert b"Community analytics" not in response.content


def test_the_cached_page_has_each_viewers_own_header_and_csrf_token(staff_client, staff):
    other = MemberFactory(is_staff=True, display_name="Second Staffer")
    first = _page(staff_client)
    client = Client()
    client.force_login(other)
    second = _page(client)
    assert 'id="panel-growth"' in second
    assert f">{staff.name}</a>" in first and f">{staff.name}</a>" not in second
    assert ">Second Staffer</a>" in second and ">Second Staffer</a>" not in first
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first) and token.search(second)
    # no CSRF token inside the cached part: every one on the page comes from base.html
    body = second.split("<h1>", 1)[1].split("</main>", 1)[0]
    assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body
